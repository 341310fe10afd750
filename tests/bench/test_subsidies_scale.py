# ruff: noqa: E501 - the SQL that builds the data reads better unwrapped
"""Benchmark: supply indicators for 3,000 counties and 200,000 institutions, and a 5,000-line payment batch
for the finance bureau. Builds 30 provinces × 10 cities × 10 counties, 200,000 directory entries (a third
inclusive, a tenth in kindergartens) with fees and reference figures, then times the nightly snapshot of
every region, the indicators page of a province (the province and its ten cities), and the Excel sheet of a
5,000-line batch (time and how much the process's peak resident memory grew).

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench
PYTEST_ARGS=tests/bench/test_subsidies_scale.py`. Prints figures; asserts results and query counts only."""

import resource
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.models import User
from subsidies import indicators
from subsidies.models import IndicatorSnapshot

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

INSTITUTIONS = 200_000
LINES = 5_000


def _generate(year: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_region (code, name, level, parent_id, county_level)
            SELECT (60 + p)::text || '0000', '省' || p, 'province', NULL, false FROM generate_series(1, 30) p;
            INSERT INTO registry_region (code, name, level, parent_id, county_level)
            SELECT (60 + p)::text || lpad(c::text, 2, '0') || '00', '市' || p || '-' || c, 'city',
                   (60 + p)::text || '0000', false
            FROM generate_series(1, 30) p, generate_series(1, 10) c;
            INSERT INTO registry_region (code, name, level, parent_id, county_level)
            SELECT (60 + p)::text || lpad(c::text, 2, '0') || lpad(k::text, 2, '0'), '县' || p || '-' || c || '-' || k,
                   'county', (60 + p)::text || lpad(c::text, 2, '0') || '00', true
            FROM generate_series(1, 30) p, generate_series(1, 10) c, generate_series(1, 10) k;
            """
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_county AS
            SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM registry_region WHERE level = 'county'
              AND code ~ '^(6[1-9]|[7-8][0-9]|90)';
            INSERT INTO registry_institution (uscc, name, route, region_id, address, filing_status, care_form,
                employer_run, created_at, updated_at)
            SELECT '91' || lpad(i::text, 15, '0') || 'X', '托育机构' || i,
                   CASE WHEN i %% 10 = 0 THEN 'kindergarten' ELSE 'enterprise' END,
                   c.code, '某路' || i || '号', 'filed', 'institution', false, now(), now()
            FROM generate_series(1, %s) AS i JOIN bench_county c ON c.n = i %% 3000;
            INSERT INTO filing_directoryentry (institution_id, uscc, name, kind, region_id, address, service_types,
                full_day, half_day, hourly, temporary, slots, infant_slots, monthly_fees, inclusive, demonstration,
                employer_run, kindergarten, receipt_number, quality_grade, latest_inspection, updated_at)
            SELECT id, uscc, name, 'institution', region_id, address, '["full_day"]', true, false, false, false,
                   40, 10, '{"full_day": 1500}', id %% 3 = 0, false, false, route = 'kindergarten', '', '', '{}', now()
            FROM registry_institution WHERE uscc LIKE '91%%X';
            INSERT INTO subsidies_fee (institution_id, region_id, service_type, monthly_fee, source, source_date,
                changed_on, guided_fee, over_guided, non_profit)
            SELECT institution_id, region_id, 'full_day', 1400 + institution_id %% 300, 'filing', now(), now(),
                   NULL, false, false
            FROM filing_directoryentry WHERE inclusive;
            INSERT INTO subsidies_referenceyear (region_id, year, children_under_3, population, income_all, source,
                updated_at)
            SELECT code, %s, 2000, 300000, 60000, '', now() FROM bench_county;
            """,
            [INSTITUTIONS, year - 1],
        )


def _batch(superuser) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO subsidies_programme (name, kind, region_id, rate, period, description, created_at)
            VALUES ('基准运营补贴', 'operating', '610000', 200, 'year', '', now()) RETURNING id
            """
        )
        programme = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO subsidies_paymentbatch (programme_id, month, status, reference, created_by_id, created_at)
            VALUES (%s, date_trunc('month', now()), 'open', '', %s, now()) RETURNING id
            """,
            [programme, superuser.pk],
        )
        batch = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO subsidies_application (programme_id, institution_id, period, status, units, months, note,
                checks, amount, clawed_back, applied_by_id, applied_at, decision_reason, batch_id)
            SELECT %s, id, '2026', 'approved', 30, 12, '', '[]', 72000, 0, %s, now(), '', %s
            FROM registry_institution WHERE uscc LIKE '91%%X' ORDER BY id LIMIT %s
            """,
            [programme, superuser.pk, batch, LINES],
        )
    return batch


def test_indicators_for_3000_counties_and_a_5000_line_batch(regions):
    today = timezone.localdate()
    _generate(today.year)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        kept = indicators.snapshot_all(today.year, today)
    print(
        f"snapshot of {kept} regions ({INSTITUTIONS} institutions): {time.perf_counter() - start:.1f} s, "
        f"{len(queries.captured_queries)} queries"
    )
    assert IndicatorSnapshot.objects.filter(year=today.year, region_id="610000").exists()
    province = ["610000", *[f"61{c:02d}00" for c in range(1, 11)]]
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        rows = indicators.table(province, today.year, today)
    print(
        f"indicators of a province and its 10 cities: {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{len(queries.captured_queries)} queries"
    )
    assert abs(rows[0]["counts"]["institutions"] - INSTITUTIONS // 30) < 100  # a hundred counties of 66 or 67
    start = time.perf_counter()
    national = indicators.table([f"{60 + p}0000" for p in range(1, 31)], today.year, today)
    print(f"indicators of 30 provinces: {(time.perf_counter() - start) * 1000:.0f} ms")
    assert sum(r["counts"]["institutions"] for r in national) == INSTITUTIONS

    superuser = User.objects.create_superuser("bench-root", password="x")
    batch = _batch(superuser)
    client = Client()
    client.force_login(superuser)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    answer = client.get(f"/admin/subsidies/paymentbatch/{batch}/sheet.xlsx")
    size = sum(len(chunk) for chunk in answer.streaming_content)
    took = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"payment batch sheet of {LINES} lines: {took:.1f} s, {size / 1024:.0f} KiB, peak RSS +{grown:.0f} MiB"
    )
    assert answer.status_code == 200
