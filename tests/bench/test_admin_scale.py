"""Benchmark: every admin list, search and filter the clerks use, for a county, a city, a province user
and a superuser, at 2,000 and at 200,000 institutions (half of them in one county, the rest spread over
3,000 counties), each with a registration and a filing in some state, annual reports, terminations,
sign-ups and escalation records. Prints latency (best of 7, in-process, after one warm-up: the least
noisy figure on a shared machine) at both sizes, their ratio and the query counts. Target: ratio ≤ 1.5
and equal query counts. Each search finds the same rows on its page at both sizes (one institution by
name or number, or a full page by a term every name holds), so the ratio measures the data's size, not
the page's.

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench`
(or `pytest tests/bench/test_admin_scale.py -s -p no:randomly`). Building the data takes a few minutes."""

import gc
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registry.models import Authority, User
from registry.roles import Role
from registry.services import roles_sync
from tests.scale import national_regions, populate

pytestmark = [
    pytest.mark.bench,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVINCES, CITIES, COUNTIES = 30, 10, 10
SMALL, LARGE = 2_000, 200_000
HOT = "110101"  # the county holding half of the institutions

LISTS = {
    "institutions": "/admin/registry/institution/",
    "institutions: unfiled": "/admin/registry/institution/?filing_status=unfiled",
    "institutions: search name": "/admin/registry/institution/?q=第12托育",
    "institutions: search common term": "/admin/registry/institution/?q=托育服务",
    "institutions: search USCC": "/admin/registry/institution/?q=91110101000000123X",
    "institutions: county filter": "/admin/registry/institution/?county=110100",
    "registrations": "/admin/registry/registration/",
    "registrations: late": "/admin/registry/registration/?late__exact=1",
    "registrations: unfiled": "/admin/registry/registration/?filing_status=unfiled",
    "registrations: search name": "/admin/registry/registration/?q=第12托育",
    "registrations: search common term": "/admin/registry/registration/?q=托育服务",
    "registrations: this year": "/admin/registry/registration/?registered_on__gte=2026-01-01",
    "filings (review queue)": "/admin/filing/filing/",
    "filings: submitted": "/admin/filing/filing/?status__exact=submitted",
    "filings: over the limit": "/admin/filing/filing/?overdue=yes",
    "filings: search name": "/admin/filing/filing/?q=第12托育",
    "filings: search common term": "/admin/filing/filing/?q=托育服务",
    "filings: receipt": "/admin/filing/filing/?q=BA11010100000000123",
    "annual reports": "/admin/filing/annualreport/",
    "terminations": "/admin/filing/termination/",
    "sign-ups": "/admin/filing/operatorsignup/",
    "escalation records": "/admin/filing/escalationstep/",
}


def _regions():
    return {r.code: r for r in national_regions(PROVINCES, CITIES, COUNTIES)}


def _people(regions):
    roles_sync()
    people = {}
    for who, code, role in (
        ("county", HOT, Role.COUNTY_HEALTH),
        ("city", "110100", Role.SUPERVISING_HEALTH),
        ("province", "110000", Role.SUPERVISING_HEALTH),
    ):
        authority = Authority.objects.create(kind="health", region_id=code, name=f"{code}卫健")
        user = User.objects.create(username=f"bench-{who}", authority=authority, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        people[who] = user
    people["superuser"] = User.objects.create(username="bench-root", is_staff=True, is_superuser=True)
    return people


def _grow(regions, target, done, pusher, creator):
    """Add institutions until `target`: half in the hot county, the rest spread over every county."""
    counties = [r for r in regions.values() if r.level == "county"]
    wanted = target - done
    hot = wanted // 2
    spread = wanted - hot
    plan = [(regions[HOT], hot)]
    per, extra = divmod(spread, len(counties))
    plan += [(c, per + (1 if i < extra else 0)) for i, c in enumerate(counties) if per or i < extra]
    populate(plan, 0, pusher=pusher, creator=creator)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(people):
    # The rows just built in this process leave garbage that a web worker never holds: collect it, so
    # both sizes are measured from the same state.
    gc.collect()
    figures = {}
    for who, user in people.items():
        client = Client()
        client.force_login(user)
        for label, url in LISTS.items():
            if client.get(url).status_code != 200:
                continue
            times = []
            for _ in range(7):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    client.get(url)
                    times.append(time.perf_counter() - started)
            figures[who, label] = (min(times) * 1000, len(captured.captured_queries))
    return figures


def test_admin_lists_cost_the_same_at_200000_institutions_as_at_2000():
    regions = _regions()
    people = _people(regions)
    pusher = Authority.objects.create(kind="market_regulation", region_id="110000", name="省市场监管局")
    creator = User.objects.create(username="bench-operator")
    _grow(regions, SMALL, 0, pusher, creator)
    small = _measure(people)
    started = time.perf_counter()
    _grow(regions, LARGE, SMALL, pusher, creator)
    print(f"\ngrew to {LARGE:,} institutions in {time.perf_counter() - started:.0f} s")
    large = _measure(people)
    print(f"\n| user | list | ms at {SMALL:,} | ms at {LARGE:,} | ratio | queries |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for key, (ms_small, q_small) in small.items():
        ms_large, q_large = large[key]
        ratio = ms_large / ms_small
        worst = max(worst, ratio)
        queries = f"{q_small}" if q_small == q_large else f"{q_small} → {q_large}"
        print(f"| {key[0]} | {key[1]} | {ms_small:.0f} | {ms_large:.0f} | {ratio:.2f} | {queries} |")
    print(f"\nworst ratio {worst:.2f}")
    assert all(small[k][1] == large[k][1] for k in small), "query counts differ between the sizes"
