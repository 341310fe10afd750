"""Benchmark: supervision at national scale. 50,000 filed institutions in two counties, 5,000,000
inspection rows and 50,000 overdue rectifications; then the inspection and rectification lists as a county
clerk, a fire inspector and the city see them (constant queries whatever the size), a draw over the
50,000-institution stratum (commit, draw with 2,500 planned inspections, verify), the operator's portal
page and the public page of one institution, and the daily rectification escalation.

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench
PYTEST_ARGS=tests/bench/test_supervision_scale.py`. Generating the data takes a few minutes. Prints
figures; asserts only results and query counts."""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspections.models import Checklist, Draw, Inspection, InspectionPlan
from inspections.services import draw_commit, draw_perform, draw_problems, escalate_rectifications
from registry.models import Authority
from registry.roles import Role
from registry.services import operator_grant, roles_sync, staff_user_ensure
from tests.factories import UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

INSTITUTIONS = 50_000
INSPECTIONS = 5_000_000
OVERDUE = 50_000


def _generate(user_id: int, fire_id: int, market_id: int, checklist_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_institution (uscc, name, route, region_id, address, filing_status, care_form,
                employer_run, created_at, updated_at)
            SELECT '91441800' || lpad(i::text, 9, '0') || 'X', '托育' || i, 'enterprise',
                   CASE WHEN i %% 2 = 0 THEN '441802' ELSE '441803' END, '某路', 'filed', 'institution',
                   false, now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [INSTITUTIONS],
        )
        cursor.execute("SELECT min(id) FROM registry_institution WHERE uscc LIKE '91441800%%'")
        first = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO inspections_inspection (institution_id, region_id, authority_id, department,
                checklist_id, status, inspected_on, outcome, summary, created_by_id, created_at, recorded_at,
                closed_at)
            SELECT i.id, i.region_id, CASE WHEN (g / 3) %% 2 = 0 THEN %s ELSE %s END,
                   CASE WHEN (g / 3) %% 2 = 0 THEN 'fire' ELSE 'market_regulation' END, %s, 'closed',
                   date '2020-01-01' + (g %% 2000), 'passed', '', %s,
                   timestamp '2020-01-01' + (g || ' minutes')::interval, now(), now()
            FROM generate_series(1, %s) AS g
            JOIN registry_institution i ON i.id = %s + g %% %s
            """,
            [fire_id, market_id, checklist_id, user_id, INSPECTIONS, first, INSTITUTIONS],
        )
        cursor.execute("SELECT min(id) FROM inspections_inspection")
        inspection = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO inspections_finding (inspection_id, position, code, text, legal_basis, severity,
                result, note)
            SELECT %s + g, 1, 'F01', '消防器材', '', 'major', 'non_compliant', '过期'
            FROM generate_series(0, %s - 1) AS g
            """,
            [inspection, OVERDUE],
        )
        cursor.execute(
            """
            INSERT INTO inspections_rectification (finding_id, inspection_id, institution_id, region_id,
                department, severity, required, deadline, status, ordered_at)
            SELECT f.id, f.inspection_id, x.institution_id, x.region_id, x.department, 'major', '消防器材',
                   current_date - 3, 'open', now()
            FROM inspections_finding f JOIN inspections_inspection x ON x.id = f.inspection_id
            """
        )
        # Departments alternate in threes (each county has both); vacuumed as a live database would be.
        cursor.execute(
            "VACUUM ANALYZE registry_institution, inspections_inspection, inspections_finding, "
            "inspections_rectification"
        )


def _timed(label, function, repeat=1):
    started = time.perf_counter()
    for _ in range(repeat):
        result = function()
    elapsed = (time.perf_counter() - started) / repeat
    print(f"\n{label}: {elapsed * 1000:.1f} ms" + (f" (mean of {repeat})" if repeat > 1 else ""))
    return result


def _page(client, url, label) -> int:
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = _timed(label, lambda: client.get(url), repeat=3)
    assert response.status_code == 200, (url, response.status_code)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
    print(f"  {len(queries.captured_queries) // 3} queries; slowest {float(slowest['time']) * 1000:.0f} ms:")
    print("  " + slowest["sql"][:400])
    return len(queries.captured_queries) // 3


def test_lists_draws_and_escalation_over_5000000_inspections(regions):
    roles_sync()
    fire_body = Authority.objects.get_or_create(
        kind="fire", region_id="441802", defaults={"name": "清城区消防"}
    )[0]
    market_body = Authority.objects.get_or_create(
        kind="market_regulation", region_id="441802", defaults={"name": "清城区市场监管局"}
    )[0]
    health_body = Authority.objects.get_or_create(
        kind="health", region_id="441802", defaults={"name": "清城区卫健局"}
    )[0]
    city_body = Authority.objects.get_or_create(
        kind="health", region_id="441800", defaults={"name": "清远市卫健委"}
    )[0]
    fire = [
        staff_user_ensure(username=f"bench-fire-{n}", authority=fire_body, role=Role.FIRE)[0]
        for n in range(6)
    ]
    clerk = staff_user_ensure(username="bench-health", authority=health_body, role=Role.COUNTY_HEALTH)[0]
    city = staff_user_ensure(username="bench-city", authority=city_body, role=Role.SUPERVISING_HEALTH)[0]
    checklist = Checklist.objects.get(region=None, code="fire-safety", current=True)
    started = time.perf_counter()
    _generate(clerk.pk, fire_body.pk, market_body.pk, checklist.pk)
    print(
        f"\ngenerated {INSTITUTIONS:,} institutions, {INSPECTIONS:,} inspections, "
        f"{OVERDUE:,} open rectifications in {time.perf_counter() - started:.0f} s"
    )

    counts = {}
    for user, label in ((clerk, "county clerk"), (fire[0], "fire inspector"), (city, "city")):
        client = Client()
        client.force_login(user)
        counts[label] = _page(client, "/admin/inspections/inspection/", f"inspection list, {label}")
        _page(
            client,
            "/admin/inspections/inspection/?status__exact=closed",
            f"inspection list filtered, {label}",
        )
        _page(
            client, "/admin/inspections/inspection/?q=91441800000000042X", f"inspection list by USCC, {label}"
        )
        _page(client, "/admin/inspections/rectification/?overdue=1", f"overdue rectifications, {label}")
    assert len(set(counts.values())) <= 2, counts  # the same handful of queries for every list

    plan = InspectionPlan.objects.create(
        authority=fire_body,
        department="fire",
        region_id="441800",
        title="基准抽查",
        stratum=InspectionPlan.Stratum.FILED,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        sample_percent=5,
        checklist_code="fire-safety",
        created_by=fire[0],
    )
    plan.inspectors.set(fire)
    draw = _timed(
        "draw commit over the stratum (roster of 50,000)", lambda: draw_commit(plan=plan, acting_user=fire[0])
    )
    assert len(draw.roster) >= INSTITUTIONS
    draw = _timed(
        "draw: 2,500 institutions with pairs, planned inspections",
        lambda: draw_perform(draw=draw, acting_user=fire[0]),
    )
    assert Inspection.objects.filter(draw=draw).count() == draw.sample_size
    assert _timed("recompute the draw (verify)", lambda: draw_problems(Draw.objects.get(pk=draw.pk))) == []
    out = io.StringIO()
    _timed("manage.py verify_draw", lambda: call_command("verify_draw", str(draw.pk), stdout=out))
    assert out.getvalue().strip() == "verified"
    public = Client()
    _page(public, f"/public/draws/{draw.pk}/", "public draw page")

    operator = UserFactory(username="bench-operator")
    institution = Inspection.objects.order_by("pk").first().institution
    operator_grant(user=operator, institution=institution)
    client = Client()
    client.force_login(operator)
    _page(client, f"/portal/supervision/institutions/{institution.pk}/", "operator's supervision page")
    _page(public, f"/public/institutions/{institution.uscc}/", "public institution page")

    fired = _timed(
        "daily rectification escalation (50,000 overdue)",
        lambda: escalate_rectifications(today=timezone.localdate()),
    )
    assert fired["rectification"] == OVERDUE
    again = _timed(
        "the same escalation again (nothing new)", lambda: escalate_rectifications(today=timezone.localdate())
    )
    assert again["rectification"] == 0
