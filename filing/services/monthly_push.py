"""The monthly push (信息推送): each county's registrations, cancellations, filings, changes and
terminations of a month, to the county bureau's inbox (with a workbook), to subscribed departments as
webhook events (fire rescue receives the directory of filed sites), and rolled up to city and province.

It streams counties in chunks, each chunk in its own transaction, so memory stays bounded however many
counties there are, and a crash half way leaves whole chunks done. Everything it sends is keyed by
region and month: running it again sends nothing new, and a rerun re-delivers only what never arrived.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import EventType
from notifications.selectors import subscriptions_for
from notifications.services import Row, notify_rows
from notifications.services.webhooks import Event, covers, publish
from registry.models import Authority, Institution, Region, Registration
from registry.models.institutions import FilingStatus
from registry.selectors import bureau_people

from .. import supervision_counts, supply_figures
from ..models import Filing, MonthlyReport, Termination
from ..models.reports import COUNTS, SECTIONS, SUPERVISION

CHUNK = 200


@dataclass
class PushSummary:
    month: datetime.date
    counties: int = 0
    rollups: int = 0
    notifications: int = 0
    deliveries: int = 0


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def previous_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return month_start(month_start(today) - datetime.timedelta(days=1))


def _month_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month_start(month)
    return first, month_start(first + datetime.timedelta(days=32))


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def monthly_push(
    *,
    month: datetime.date,
    region_code: str = "",
    chunk_size: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
) -> PushSummary:
    """Push one month for every county (or those under `region_code`), then roll up."""
    first, after = _month_range(month)
    summary = PushSummary(month=first)
    subscriptions = subscriptions_for({e.value for e in EventType})
    counties = _counties(first, after, region_code)
    with translation.override(settings.LANGUAGE_CODE):
        for done, codes in enumerate(_chunks(counties, chunk_size), start=1):
            with transaction.atomic():
                _push_counties(codes, first, after, subscriptions, summary)
            if progress:
                progress(min(done * chunk_size, len(counties)), len(counties))
        with transaction.atomic():
            _roll_up(counties, first, subscriptions, summary)
    return summary


def _counties(first, after, region_code: str) -> list[str]:
    """Counties with a health bureau, and any county where something happened that month."""
    span = {"gte": _aware(first), "lt": _aware(after)}
    sources = [
        (Authority.objects.filter(kind=Authority.Kind.HEALTH), "region_id"),
        (Registration.objects.filter(registered_on__gte=first, registered_on__lt=after), "region_id"),
        (Registration.objects.filter(cancelled_on__gte=first, cancelled_on__lt=after), "region_id"),
        (
            Filing.objects.filter(
                status=Filing.Status.ACCEPTED, decided_at__gte=span["gte"], decided_at__lt=span["lt"]
            ),
            "institution__region_id",
        ),
        (
            Termination.objects.filter(
                status=Termination.Status.CONFIRMED,
                confirmed_at__gte=span["gte"],
                confirmed_at__lt=span["lt"],
            ),
            "institution__region_id",
        ),
    ]
    codes = set()
    for queryset, path in sources:
        codes.update(queryset.values_list(path, flat=True).distinct())
    counties = Region.objects.counties().filter(pk__in=codes)
    if region_code:
        counties = counties.filter(pk__in=Region.objects.subtree(region_code).values("pk"))
    return sorted(counties.values_list("pk", flat=True))


def _push_counties(codes: list[str], first, after, subscriptions, summary: PushSummary) -> None:
    rows = {code: {section: [] for section in SECTIONS} for code in codes}
    punctuality: dict[str, dict[str, dict]] = {code: {} for code in codes}
    for reg in _registrations(codes).filter(registered_on__gte=first, registered_on__lt=after):
        rows[reg["region_id"]]["registrations"].append(_registration_row(reg))
        body = punctuality[reg["region_id"]].setdefault(
            reg["authority__name"],
            {"authority": reg["authority__name"], "total": 0, "late": 0, "late_names": []},
        )
        body["total"] += 1
        if reg["late"]:
            body["late"] += 1
            body["late_names"].append(reg["name"])
    for reg in _registrations(codes).filter(cancelled_on__gte=first, cancelled_on__lt=after):
        rows[reg["region_id"]]["cancellations"].append(_registration_row(reg))
    for filing in _accepted(codes, first, after):
        section = "filings" if filing["kind"] == Filing.Kind.INITIAL else "changes"
        rows[filing.pop("institution__region_id")][section].append(_stringify(filing))
    for termination in _terminations(codes, first, after):
        rows[termination.pop("institution__region_id")]["terminations"].append(_stringify(termination))

    supervision = supervision_counts.counts(codes, first, after)
    supply = supply_figures.figures(codes, after - datetime.timedelta(days=1))
    for code in codes:
        if supply.get(code):
            rows[code]["supply"] = supply[code]
    counts = {
        code: {
            **{section: len(rows[code][section]) for section in SECTIONS},
            **{figure: supervision.get(code, {}).get(figure, 0) for figure in SUPERVISION},
        }
        for code in codes
    }
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                region_id=code,
                month=first,
                level=MonthlyReport.Level.COUNTY,
                counts=counts[code],
                punctuality=_rates(punctuality[code].values()),
                rows=rows[code],
            )
            for code in codes
        ],
        update_conflicts=True,
        unique_fields=["region", "month"],
        update_fields=["level", "counts", "punctuality", "rows", "generated_at"],
    )
    summary.counties += len(codes)
    reports = dict(
        MonthlyReport.objects.filter(region_id__in=codes, month=first).values_list("region_id", "pk")
    )
    names = dict(Region.objects.filter(pk__in=codes).values_list("pk", "name"))
    summary.notifications += _notify_bureaus(reports, names, first, rows)

    events = [
        _event(
            EventType.MONTHLY_REPORT,
            code,
            names[code],
            first,
            counts=counts[code],
            **rows[code],
        )
        for code in _covered(codes, subscriptions, EventType.MONTHLY_REPORT)
    ]
    events += _directory_events(codes, names, first, subscriptions)
    summary.deliveries += publish(events, subscriptions)


def _registrations(codes):
    return (
        Registration.objects.filter(region_id__in=codes)
        .order_by("region_id", "registered_on", "pk")
        .values(
            "region_id",
            "institution__uscc",
            "name",
            "route",
            "authority__name",
            "registered_on",
            "cancelled_on",
            "first_pushed_at",
            "late",
        )
    )


def _registration_row(reg: dict) -> dict:
    return {
        "uscc": reg["institution__uscc"],
        "name": reg["name"],
        "route": reg["route"],
        "registration_body": reg["authority__name"],
        "registered_on": reg["registered_on"].isoformat(),
        "cancelled_on": reg["cancelled_on"].isoformat() if reg["cancelled_on"] else None,
        "first_pushed_at": timezone.localtime(reg["first_pushed_at"]).isoformat(timespec="seconds"),
        "late": reg["late"],
    }


def _accepted(codes, first, after) -> Iterable[dict]:
    return (
        Filing.objects.filter(
            institution__region_id__in=codes,
            status=Filing.Status.ACCEPTED,
            decided_at__gte=_aware(first),
            decided_at__lt=_aware(after),
        )
        .order_by("institution__region_id", "decided_at")
        .values(
            "institution__region_id",
            "kind",
            "institution__uscc",
            "name",
            "address",
            "receipt_number",
            "inclusive",
            "decided_at",
        )
    )


def _terminations(codes, first, after) -> Iterable[dict]:
    return (
        Termination.objects.filter(
            institution__region_id__in=codes,
            status=Termination.Status.CONFIRMED,
            confirmed_at__gte=_aware(first),
            confirmed_at__lt=_aware(after),
        )
        .order_by("institution__region_id", "confirmed_at")
        .values(
            "institution__region_id", "institution__uscc", "institution__name", "planned_on", "confirmed_at"
        )
    )


def _stringify(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        key = key.removeprefix("institution__")
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).isoformat(timespec="seconds")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        out[key] = value
    return out


def _rates(bodies: Iterable[dict]) -> list[dict]:
    rated = []
    for body in sorted(bodies, key=lambda b: b["authority"]):
        on_time = body["total"] - body["late"]
        rated.append({**body, "on_time": on_time, "rate": round(100 * on_time / body["total"], 1)})
    return rated


def _covered(codes, subscriptions, event_type) -> list[str]:
    """The regions at least one subscription to the event type hears; events are built only for them."""
    listening = [s for s in subscriptions if s.wants(event_type)]
    return [code for code in codes if any(covers(s, code) for s in listening)]


def _event(event_type, code: str, name: str, first, **data) -> Event:
    """One region's event for the month; its key makes publishing it again a no-op."""
    payload = {"region_code": code, "region": name, "month": f"{first:%Y-%m}", **data}
    return Event(event_type, f"{event_type}:{code}:{first:%Y-%m}", payload, code)


def _notify_bureaus(reports: dict[str, int], names: dict[str, str], first, rows) -> int:
    report_type = ContentType.objects.get_for_model(MonthlyReport).pk
    notes = []
    for user_id, code in bureau_people(list(reports)):
        county_rows = rows[code] if rows else None
        body = (
            _(
                "Registrations %(registrations)d, cancellations %(cancellations)d, filings %(filings)d, "
                "changes %(changes)d, terminations %(terminations)d. The workbook is attached to the report."
            )
            % {section: len(county_rows[section]) for section in SECTIONS}
            if county_rows
            else _("The roll-up of the counties below is ready, with each registration body's on-time rate.")
        )
        notes.append(
            Row(
                recipient_id=user_id,
                title=_("Monthly push %(month)s: %(region)s")
                % {"month": f"{first:%Y-%m}", "region": names[code]},
                body=body,
                url=reverse("admin:filing_monthlyreport_change", args=[reports[code]]),
                key=f"monthly_push:{code}:{first:%Y-%m}",
                subject_type_id=report_type,
                subject_id=str(reports[code]),
            )
        )
    return notify_rows(notes)


def _directory_events(codes, names, first, subscriptions) -> list[Event]:
    wanted = _covered(codes, subscriptions, EventType.MONTHLY_DIRECTORY)
    if not wanted:
        return []
    sites = defaultdict(list)
    filed = (
        Institution.objects.filter(region_id__in=wanted, filing_status=FilingStatus.FILED)
        .order_by("region_id", "name")
        .values_list("region_id", "uscc", "name", "address", "care_form")
    )
    for region_id, uscc, name, address, kind in filed.iterator(chunk_size=2000):
        sites[region_id].append({"uscc": uscc, "name": name, "address": address, "kind": kind})
    return [
        _event(EventType.MONTHLY_DIRECTORY, code, names[code], first, filed_sites=sites[code])
        for code in wanted
    ]


def _roll_up(counties: list[str], first, subscriptions, summary: PushSummary) -> None:
    """City and province reports from the month's county reports, streamed."""
    parents = defaultdict(set)
    for code, parent, grandparent in Region.objects.filter(pk__in=counties).values_list(
        "pk", "parent_id", "parent__parent_id"
    ):
        parents[code] = {p for p in (parent, grandparent) if p}
    regions = {p for ps in parents.values() for p in ps}
    if not regions:
        return
    totals = {code: dict.fromkeys(COUNTS, 0) for code in regions}
    bodies: dict[str, dict[tuple, dict]] = {code: {} for code in regions}
    county_reports = MonthlyReport.objects.filter(
        month=first,
        level=MonthlyReport.Level.COUNTY,
        region__in=Region.objects.filter(Q(parent_id__in=regions) | Q(parent__parent_id__in=regions)),
    ).values_list(
        "region_id", "region__name", "region__parent_id", "region__parent__parent_id", "counts", "punctuality"
    )
    by_county: dict[str, list[dict]] = {code: [] for code in regions}
    for code, name, parent, grandparent, counts, punctuality in county_reports.iterator(chunk_size=500):
        for region in {parent, grandparent} & regions:
            by_county[region].append({"code": code, "county": name, **counts})
            for section in COUNTS:
                totals[region][section] += counts.get(section, 0)
            for body in punctuality:
                entry = bodies[region].setdefault(
                    (name, body["authority"]),
                    {"county": name, "authority": body["authority"], "total": 0, "late": 0, "late_names": []},
                )
                entry["total"] += body["total"]
                entry["late"] += body["late"]
    levels = dict(Region.objects.filter(pk__in=regions).values_list("pk", "level"))
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                region_id=code,
                month=first,
                level=levels[code],
                counts=totals[code],
                punctuality=_rates(bodies[code].values()),
                rows={"counties": sorted(by_county[code], key=lambda row: row["code"])},
            )
            for code in regions
        ],
        update_conflicts=True,
        unique_fields=["region", "month"],
        update_fields=["level", "counts", "punctuality", "rows", "generated_at"],
    )
    summary.rollups += len(regions)
    reports = dict(
        MonthlyReport.objects.filter(region_id__in=regions, month=first).values_list("region_id", "pk")
    )
    names = dict(Region.objects.filter(pk__in=regions).values_list("pk", "name"))
    summary.notifications += _notify_bureaus(reports, names, first, None)
    summary.deliveries += publish(
        [
            _event(
                EventType.MONTHLY_ROLLUP,
                code,
                names[code],
                first,
                counts=totals[code],
                punctuality=_rates(bodies[code].values()),
            )
            for code in _covered(sorted(regions), subscriptions, EventType.MONTHLY_ROLLUP)
        ],
        subscriptions,
    )
