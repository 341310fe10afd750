"""Benchmark: the staff register at national scale. 2,000,000 people with an open employment each across
20,000 institutions, 10,000 bans; then the ban check of a hire, a ban recorded against someone employed,
one hire (ban and one-carer checks), and a 5,000-row roster import (dry run, then saved).

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench
PYTEST_ARGS=tests/bench/test_workforce_scale.py`. Generating the data takes a few minutes. Prints
figures; asserts only results and that each check reads an index."""

import datetime
import time

import pytest
from django.db import connection

from registry.models import Authority, Institution, User
from registry.roles import Role
from registry.services import operator_grant, roles_sync, staff_user_ensure
from tests.factories import UserFactory
from tests.workforce.conftest import ric_number
from workforce import documents
from workforce.models import Ban, Employment
from workforce.selectors import active_ban
from workforce.services import ban_record, hire, roster_import

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 2_000_000
INSTITUTIONS = 20_000
BANS = 10_000
START = datetime.date(2026, 9, 1)


def _generate(user_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_institution (uscc, name, route, region_id, address, filing_status, care_form,
                employer_run, created_at, updated_at)
            SELECT '91441802' || lpad(i::text, 9, '0') || 'X', '托育' || i, 'enterprise', '441802', '某路',
                   'filed', 'institution', false, now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [INSTITUTIONS],
        )
        cursor.execute("SELECT min(id) FROM registry_institution WHERE uscc LIKE '91441802%%'")
        first = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO workforce_person (document_type, document_digest, document_sealed, document_masked,
                name, phone, created_at, created_by_id)
            SELECT 'passport', md5(i::text) || md5('x' || i), 'sealed', 'P****' || i %% 10000,
                   '员工' || i, '', now(), %s
            FROM generate_series(1, %s) AS i
            """,
            [user_id, PEOPLE],
        )
        cursor.execute(
            """
            INSERT INTO workforce_employment (person_id, institution_id, role, starts_on, ban_flagged,
                created_by_id)
            SELECT p.id, %s + p.id %% %s, CASE WHEN p.id %% 3 = 0 THEN 'carer' ELSE 'cook' END, %s, false, %s
            FROM workforce_person p
            """,
            [first, INSTITUTIONS, START, user_id],
        )
        cursor.execute(
            """
            INSERT INTO workforce_ban (document_type, document_digest, document_sealed, document_masked, name,
                reason, decided_by_body, decided_on, lifetime, region_id, recorded_at, recorded_by_id,
                scan, scan_name, scan_type)
            SELECT 'passport', md5('ban' || i) || md5('b' || i), 'sealed', 'P****', '某' || i, '虐童', '法院',
                   %s, true, '441802', now(), %s, '', '', ''
            FROM generate_series(1, %s) AS i
            """,
            [START, user_id, BANS],
        )
        cursor.execute("ANALYZE registry_institution, workforce_person, workforce_employment, workforce_ban")


def _timed(label, function, repeat=1):
    started = time.perf_counter()
    for _ in range(repeat):
        result = function()
    elapsed = (time.perf_counter() - started) / repeat
    print(f"\n{label}: {elapsed * 1000:.1f} ms" + (f" (mean of {repeat})" if repeat > 1 else ""))
    return result


def _plan(sql, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_ban_checks_and_a_5000_row_import_against_2000000_people(regions):
    roles_sync()
    operator = UserFactory(username="bench-operator")
    started = time.perf_counter()
    _generate(operator.pk)
    print(
        f"\ngenerated {PEOPLE:,} people and employments, {BANS:,} bans"
        f" in {time.perf_counter() - started:.0f} s"
    )
    institution = Institution.objects.create(
        uscc="91441802MABENCH01X",
        name="基准托育有限公司",
        route="enterprise",
        region_id="441802",
        address="某路",
    )
    operator_grant(user=operator, institution=institution)
    police = staff_user_ensure(
        username="bench-police",
        authority=Authority.objects.get_or_create(
            kind=Authority.Kind.PUBLIC_SECURITY, region_id="441802", defaults={"name": "清城区公安分局"}
        )[0],
        role=Role.PUBLIC_SECURITY,
    )[0]

    digest = documents.digest("ric", ric_number(1))
    assert _timed("ban check of one hire (active_ban)", lambda: active_ban(digest, START), repeat=200) is None
    plan = _plan("SELECT 1 FROM workforce_ban WHERE document_digest = %s", [digest])
    assert "Index" in plan, plan

    employed = Employment.objects.filter(role="carer").order_by("pk").first()
    number = f"E{employed.person_id:08d}"
    # Give that person a real passport number, so a ban can be recorded against it.
    employed.person.document_digest = documents.digest("passport", number)
    employed.person.save(update_fields=["document_digest"])
    _timed(
        "ban recorded against someone employed (flags the employment, tells the bureau and operator)",
        lambda: ban_record(
            document_type="passport",
            document_number=number,
            name="某",
            reason="虐童",
            decided_by_body="法院",
            decided_on=START,
            lifetime=True,
            until=None,
            acting_user=police,
        ),
    )
    employed.refresh_from_db()
    assert employed.ban_flagged

    employment = _timed(
        "one hire (ban check, one-carer constraint, no-criminal-record certificate)",
        lambda: hire(
            institution=institution,
            document_type="ric",
            document_number=ric_number(7),
            name="张保育",
            role="carer",
            starts_on=START,
            acting_user=operator,
            no_criminal_record=("派出所", START),
        ),
    )
    assert employment.pk

    rows = [
        (
            n + 2,
            {
                "name": f"导入{n}",
                "document_type": "",
                "document_number": ric_number(10_000 + n),
                "role": "保育人员" if n % 2 else "炊事人员",
                "starts_on": START,
                "phone": "",
                "police_station": "凤城派出所",
                "ncr_issued_on": START - datetime.timedelta(days=10),
                "certificate_type": "保育师职业技能等级证书" if n % 2 else None,
                "certificate_number": f"C{n}" if n % 2 else None,
                "certificate_level": None,
                "certificate_issuer": "人社局" if n % 2 else None,
                "certificate_issued_on": START if n % 2 else None,
                "certificate_expires_on": None,
                "health_checked_on": START,
                "health_examined_by": "妇幼保健院",
                "health_valid_until": START + datetime.timedelta(days=365),
            },
        )
        for n in range(5000)
    ]
    report = _timed(
        "5,000-row roster import, dry run",
        lambda: roster_import(institution=institution, rows=rows, acting_user=operator, dry_run=True),
    )
    assert not report.problems, report.problems[:3]
    report = _timed(
        "5,000-row roster import, saved",
        lambda: roster_import(institution=institution, rows=rows, acting_user=operator, dry_run=False),
    )
    assert report.saved and Employment.objects.filter(institution=institution).count() == 5001
    assert User.objects.filter(pk=operator.pk).exists()
    assert Ban.objects.count() == BANS + 1
