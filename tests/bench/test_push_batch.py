"""Benchmark: a batch of 1000 registrations through the API (created, unchanged, updated).

Run on demand: `make bench` (add DATABASE_URL for PostgreSQL). Prints figures; asserts only results."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.registry.test_push_api import BATCH, api_for, record

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def test_push_1000(regions):
    api = api_for(regions)
    records = [record() for _ in range(1000)]
    for label, payload, expected in [
        ("created", records, "created"),
        ("unchanged", records, "unchanged"),
        ("updated", [{**r, "address": "新址1号"} for r in records], "updated"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = api.post(BATCH, {"records": payload}, format="json")
            elapsed = time.perf_counter() - started
        assert {r["result"] for r in response.json()["results"]} == {expected}
        print(f"\n{connection.vendor}: 1000 {label}: {elapsed:.2f} s, {len(queries)} queries")
