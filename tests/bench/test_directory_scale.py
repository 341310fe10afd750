"""Benchmark: the public directory, its open data and the admin's Excel export at 200,000 filed institutions.
Rebuilds the directory, then times the directory page (plain, a search, a county), the API's first and a
later page, the CSV download, and the Excel export of every institution as a platform administrator (time
and how much the process's peak resident memory grew).

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench
PYTEST_ARGS=tests/bench/test_directory_scale.py`. Prints figures; asserts results and query counts only."""

import resource
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from filing.services.directory import directory_rebuild
from registry.models import User

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

INSTITUTIONS = 200_000


def _generate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_institution (uscc, name, route, region_id, address, filing_status, care_form,
                employer_run, created_at, updated_at)
            SELECT '91441800' || lpad(i::text, 9, '0') || 'X', '托育机构' || i, 'enterprise',
                   CASE WHEN i %% 3 = 0 THEN '441802' WHEN i %% 3 = 1 THEN '441803' ELSE '445302' END,
                   '某路' || i || '号', 'filed',
                   CASE WHEN i %% 50 = 0 THEN 'home_point' ELSE 'institution' END, false, now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [INSTITUTIONS],
        )


def timed(label, action, runs=5):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label}: best of {runs} {best * 1000:.1f} ms")
    return result


def test_directory_api_csv_and_export_at_national_scale(regions):
    _generate()
    start = time.perf_counter()
    written = directory_rebuild()
    took = time.perf_counter() - start
    print(f"directory_rebuild of {INSTITUTIONS} institutions: {took:.1f} s, {written} rows")
    public = Client(REMOTE_ADDR="10.1.1.1")
    from django.conf import settings

    settings.PUBLIC_REQUESTS_PER_MINUTE = 10_000
    settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"] = "100000/min"
    for label, query in [
        ("directory page", {}),
        ("directory page, page 500", {"page": "500"}),
        ("directory search 托育机构1999", {"q": "托育机构1999"}),
        ("directory county 441803", {"region": "441803"}),
        ("directory home-based points", {"kind": "home_point"}),
    ]:
        with CaptureQueriesContext(connection) as queries:
            page = timed(label, lambda q=query: public.get("/public/", q))
        assert page.status_code == 200
        print(f"  {len(queries.captured_queries)} queries for 5 requests")
    first = timed("API first page", lambda: public.get("/api/v1/public/institutions/"))
    assert len(first.json()["results"]) == 100
    later_url = first.json()["next"]
    for _ in range(20):
        later_url = public.get(later_url).json()["next"]
    timed("API 21st page", lambda: public.get(later_url))
    timed("API county 441802", lambda: public.get("/api/v1/public/institutions/", {"region": "441802"}))

    def download():
        return sum(len(chunk) for chunk in public.get("/public/institutions.csv").streaming_content)

    size = timed("CSV of the whole directory", download, runs=1)
    print(f"  {size / 1024 / 1024:.1f} MB")

    admin = User.objects.create_superuser("bench-admin", password="x")
    staff = Client()
    staff.force_login(admin)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    workbook = sum(len(c) for c in staff.get("/admin/registry/institution/export.xlsx").streaming_content)
    elapsed = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(
        f"Excel export of {INSTITUTIONS} institutions: {elapsed:.1f} s, {workbook / 1024 / 1024:.1f} MB, "
        f"peak resident memory grew by {grown / 1024:.1f} MB"
    )
    assert workbook > 0
