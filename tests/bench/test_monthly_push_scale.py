"""Benchmark: the monthly push for 3,000 counties and 200,000 institutions, in its own process so its
peak memory is measured alone. Target on the development machine: under a minute, under 300 MB.

Run on demand with PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/childcare make bench`.
Generating the data takes about a minute more. Prints figures; asserts only results."""

import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from filing.models import MonthlyReport
from notifications.models import Notification, OutboxEvent, WebhookSubscription
from registry.models import Authority, Institution, Registration, User
from registry.roles import Role
from tests.scale import national_regions

pytestmark = [
    pytest.mark.bench,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
PROVINCES, CITIES, COUNTIES = 30, 10, 10  # 3,000 counties
INSTITUTIONS = 200_000
MONTH = datetime.date(2026, 10, 1)


def _generate():
    regions = national_regions(PROVINCES, CITIES, COUNTIES)
    counties = [r.code for r in regions if r.level == "county"]
    Authority.objects.bulk_create(
        [
            Authority(kind=kind, region_id=code, name=f"{code}{kind}")
            for code in counties
            for kind in ("health", "market_regulation")
        ],
        batch_size=2000,
    )
    authorities = dict(Authority.objects.filter(kind="market_regulation").values_list("region_id", "pk"))
    health = dict(Authority.objects.filter(kind="health").values_list("region_id", "pk"))
    User.objects.bulk_create(
        [
            User(username=f"health-{code}", authority_id=health[code], is_staff=True, password="!")
            for code in counties
        ],
        batch_size=2000,
    )
    group, _ = Group.objects.get_or_create(name=Role.COUNTY_HEALTH)
    group.user_set.add(*User.objects.filter(username__startswith="health-"))
    fire = Authority.objects.create(kind="fire", region_id="110000", name="省0消防救援总队")
    WebhookSubscription.objects.create(
        authority=fire,
        url="http://127.0.0.1:9/",
        event_types=["monthly_push.directory", "monthly_push.report"],
    )
    now = timezone.now()
    per_county = INSTITUTIONS // len(counties) + 1
    batch_i, batch_r = [], []
    n = 0
    for code in counties:
        for i in range(per_county):
            if n >= INSTITUTIONS:
                break
            n += 1
            uscc = f"91{code}{n:09d}X"
            in_month = i % 10 == 0
            registered = MONTH + datetime.timedelta(days=i % 28) if in_month else datetime.date(2025, 1, 1)
            batch_i.append(
                Institution(
                    uscc=uscc,
                    name=f"托育{n}",
                    route="enterprise",
                    region_id=code,
                    address="某路",
                    filing_status="filed" if i % 5 < 3 else "unfiled",
                )
            )
            batch_r.append((uscc, code, registered, i % 30 == 0))
        if len(batch_i) >= 10_000:
            _flush(batch_i, batch_r, authorities, now)
    _flush(batch_i, batch_r, authorities, now)


def _flush(institutions, registrations, authorities, now):
    Institution.objects.bulk_create(institutions, batch_size=5000)
    ids = dict(Institution.objects.filter(uscc__in=[r[0] for r in registrations]).values_list("uscc", "pk"))
    Registration.objects.bulk_create(
        [
            Registration(
                institution_id=ids[uscc],
                authority_id=authorities[code],
                route="enterprise",
                region_id=code,
                name=f"托育{uscc[-10:]}",
                address="某路",
                legal_representative="张三",
                registered_on=registered,
                business_scope="托育服务",
                late=late,
                first_pushed_at=now,
            )
            for uscc, code, registered, late in registrations
        ],
        batch_size=5000,
    )
    institutions.clear()
    registrations.clear()


def test_monthly_push_for_3000_counties_and_200000_institutions():
    started = time.perf_counter()
    _generate()
    print(f"\ngenerated {Institution.objects.count()} institutions in {time.perf_counter() - started:.0f} s")
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": "",
        "EMAIL_URL": "dummymail://",
        # Deliveries are separate tasks on the workers; the benchmark measures the push alone.
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "monthly_push", "--month", "2026-10"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert result.returncode == 0, result.stderr[-3000:]
    print(result.stdout.strip())
    print(f"monthly push: {elapsed:.1f} s, peak memory {max(peak, before) / 1024:.0f} MB")
    assert MonthlyReport.objects.filter(month=MONTH, level="county").count() == 3000
    assert Notification.objects.count() == 3000 + 0  # one per county bureau; roll-ups have no staff here
    assert OutboxEvent.objects.filter(event_type="monthly_push.directory").count() == CITIES * COUNTIES
