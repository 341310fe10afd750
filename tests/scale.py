"""Rows for the admin's lists in bulk, for the query-count tests and the admin benchmark: institutions
with their registrations, filings in every state, annual reports, terminations, sign-ups and escalation
steps, spread over the counties given. Written with bulk_create (no history rows, no services): these
measure reading, not writing."""

import datetime
import itertools

from django.utils import timezone

from filing.models import AnnualReport, EscalationStep, Filing, OperatorSignup, Termination
from registry.models import Authority, Institution, Region, Registration, Route, User
from registry.uscc import uscc_with_check

STATUSES = ["submitted", "submitted", "returned", "accepted", "accepted", "accepted", "refused", "draft"]
_serial = itertools.count(1)


def national_regions(provinces: int = 30, cities: int = 10, counties: int = 10) -> list[Region]:
    """A made-up country whose codes nest as GB/T 2260's do (110000 › 110100 › 110101), saved in bulk:
    by default 30 provinces of 10 cities of 10 counties, 3,000 counties in all."""
    rows = []
    for p in range(provinces):
        province = f"{11 + p:02d}0000"
        rows.append(Region(code=province, name=f"省{p}", level="province"))
        for c in range(cities):
            city = f"{11 + p:02d}{c + 1:02d}00"
            rows.append(Region(code=city, name=f"市{p}-{c}", level="city", parent_id=province))
            rows += [
                Region(code=f"{city[:4]}{k + 1:02d}", name=f"县{p}-{c}-{k}", level="county", parent_id=city)
                for k in range(counties)
            ]
    Region.objects.bulk_create(rows, batch_size=2000)
    return rows


def populate(counties, per_county: int, *, pusher: Authority, creator: User, batch: int = 5000) -> int:
    """`per_county` institutions in each county of `counties` (a list of Region or (Region, count)),
    each with one registration and one filing; every fourth with an annual report, every tenth with a
    termination, a sign-up and an escalation step. Returns the number of institutions written."""
    plan = [(c, per_county) if not isinstance(c, tuple) else c for c in counties]
    now = timezone.now()
    today = timezone.localdate()
    written = 0
    for county, count in plan:
        for start in range(0, count, batch):
            size = min(batch, count - start)
            serials = [next(_serial) for _ in range(size)]
            institutions = Institution.objects.bulk_create(
                [
                    Institution(
                        uscc=uscc_with_check(f"91{county.pk}{n:09d}"),
                        name=f"{county.name}第{n}托育服务有限公司",
                        route=Route.ENTERPRISE,
                        region=county,
                        address=f"{county.name}示例路{n}号",
                        filing_status="filed" if n % 3 else "unfiled",
                    )
                    for n in serials
                ],
                batch_size=batch,
            )
            _children(institutions, county, pusher, creator, now, today)
            written += size
    return written


def _children(institutions, county, pusher, creator, now, today):
    Registration.objects.bulk_create(
        [
            Registration(
                institution=i,
                authority=pusher,
                route=Route.ENTERPRISE,
                region=county,
                name=i.name,
                address=i.address,
                legal_representative=f"法人{i.pk % 997}",
                registered_on=today - datetime.timedelta(days=i.pk % 700),
                business_scope="3岁以下婴幼儿照护服务",
                service_types=["full_day"],
                late=i.pk % 7 == 0,
                scope_flagged=i.pk % 11 == 0,
                first_pushed_at=now,
            )
            for i in institutions
        ]
    )
    filings = []
    # Status and age follow the row's place in the batch, not its primary key, so that the same call
    # gives the same mix on every database: the first ten hold submissions within and over the limit.
    for n, i in enumerate(institutions):
        status = STATUSES[n % len(STATUSES)]
        age = datetime.timedelta(days=n % 60, minutes=n % 997)
        submitted = None if status == "draft" else now - age
        filings.append(
            Filing(
                institution=i,
                status=status,
                queue_priority=Filing.QUEUE_PRIORITY.get(status, 2),
                name=i.name,
                address=i.address,
                legal_representative="法人",
                submitted_at=submitted,
                created_by=creator,
                receipt_number=f"BA{county.pk}{i.pk:011d}" if status == "accepted" else None,
            )
        )
    Filing.objects.bulk_create(filings)
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(
                institution=i,
                region=county,
                year=today.year - 1,
                enrolled_children=20,
                staff_total=6,
                submitted_by=creator,
            )
            for i in institutions[::4]
        ]
    )
    tenth = institutions[::10]
    Termination.objects.bulk_create(
        [
            Termination(
                institution=i,
                region=county,
                planned_on=today,
                children_plan="转至附近机构",
                staff_plan="妥善安置",
                submitted_by=creator,
            )
            for i in tenth
        ]
    )
    OperatorSignup.objects.bulk_create(
        [OperatorSignup(user=creator, institution=i, region=county) for i in tenth]
    )
    EscalationStep.objects.bulk_create(
        [
            EscalationStep(
                ladder="unfiled", rung=1, institution=i, region=county, subject_id=i.pk, episode=today
            )
            for i in tenth
        ]
    )
