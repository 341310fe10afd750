"""Benchmark: a batch push of 1,000 new, then 1,000 changed registrations through the API, against the
floor the database sets: a raw `INSERT … ON CONFLICT` of the same institutions and registrations with
their history rows (parameters prepared beforehand, so the floor is the database's work alone).
Target: the API's throughput at least 0.5 × the floor's.

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench`."""

import datetime
import statistics
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from registry.models import ApiClient, Institution, Registration
from tests.registry.test_push_api import BATCH, api_for, record

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

ROWS, ROUNDS = 1000, 5
HISTORY = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _columns(model, *, skip=("id",)):
    return [f for f in model._meta.concrete_fields if f.column not in skip]


def _insert(table, columns, rows, suffix=""):
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([one] * len(rows))} {suffix}",
            [value for row in rows for value in row],
        )
        return cursor.fetchall() if suffix.endswith("id") else None


def _upsert_sql(columns, key):
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in (key, "created_at"))
    return f"ON CONFLICT ({key}) DO UPDATE SET {updates} RETURNING id"


def _prepared(records, authority, user):
    """Database values of each institution and registration, built before the clock starts."""
    now = timezone.now()
    institutions, registrations = [], []
    for r in records:
        institution = Institution(
            uscc=r["uscc"], name=r["name"], route=r["route"], region_id=r["region_code"],
            address=r["address"], created_at=now, updated_at=now,
        )  # fmt: skip
        registration = Registration(
            institution_id=0, authority=authority, route=r["route"], region_id=r["region_code"],
            name=r["name"], address=r["address"], legal_representative=r["legal_representative"],
            registered_on=datetime.date.fromisoformat(r["registered_on"]), business_scope=r["business_scope"],
            service_types=r["service_types"], first_pushed_at=now, updated_at=now,
        )  # fmt: skip
        institutions.append(
            [f.get_db_prep_save(getattr(institution, f.attname), connection) for f in _columns(Institution)]
        )
        registrations.append(
            [f.get_db_prep_save(getattr(registration, f.attname), connection) for f in _columns(Registration)]
        )
    return institutions, registrations, [now, "raw", "+", user.pk]


def _raw(institutions, registrations, history):
    inst_cols = [f.column for f in _columns(Institution)]
    reg_cols = [f.column for f in _columns(Registration)]
    with transaction.atomic():
        ids = _insert(Institution._meta.db_table, inst_cols, institutions, _upsert_sql(inst_cols, "uscc"))
        for row, (pk,) in zip(registrations, ids, strict=True):
            row[0] = pk
        reg_ids = _insert(
            Registration._meta.db_table,
            reg_cols,
            registrations,
            _upsert_sql(reg_cols, "institution_id"),
        )
        _insert(
            Institution.history.model._meta.db_table,
            ["id", *inst_cols, *HISTORY],
            [[pk, *row, *history] for (pk,), row in zip(ids, institutions, strict=True)],
        )
        _insert(
            Registration.history.model._meta.db_table,
            ["id", *reg_cols, *HISTORY],
            [[pk, *row, *history] for (pk,), row in zip(reg_ids, registrations, strict=True)],
        )


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def test_a_batch_push_keeps_half_the_throughput_of_a_raw_upsert(regions):
    api = api_for(regions)
    client = ApiClient.objects.select_related("user__authority").get()
    figures = {"created": ([], []), "updated": ([], [])}
    for _ in range(ROUNDS):
        records = [record() for _ in range(ROWS)]
        changed = [{**r, "address": "新址1号", "legal_representative": "李四"} for r in records]
        for label, payload in (("created", records), ("updated", changed)):
            response = None

            def push(payload=payload):
                nonlocal response
                response = api.post(BATCH, {"records": payload}, format="json")

            figures[label][0].append(_timed(push))
            assert {r["result"] for r in response.json()["results"]} == {label}
        # The floor writes the same rows under fresh USCCs, then again as changes.
        twins = [record() for _ in range(ROWS)]
        for label, rows in (("created", twins), ("updated", [{**r, "address": "新址1号"} for r in twins])):
            prepared = _prepared(rows, client.user.authority, client.user)
            figures[label][1].append(_timed(lambda prepared=prepared: _raw(*prepared)))
    print("\n| 1,000 registrations | API s | raw upsert s | API throughput ÷ raw |\n|---|---|---|---|")
    for label, (api_times, raw_times) in figures.items():
        api_s, raw_s = statistics.median(api_times), statistics.median(raw_times)
        print(f"| {label} | {api_s:.3f} | {raw_s:.3f} | {raw_s / api_s:.2f} |")
