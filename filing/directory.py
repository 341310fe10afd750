"""Reading the public directory: the filters a parent sets, the county list, counts kept in the cache so a
busy page never counts the whole table, and the open-data rows (API and CSV) with their field names."""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import cached_property

from registry.models import Region

from .models import DirectoryEntry

COUNT_SECONDS = 300
SERVICES = ("full_day", "half_day", "hourly", "temporary")
# What the open data carries, in this order (../shared/CONTRACT.md); nothing else leaves the platform.
OPEN_FIELDS = [
    "uscc",
    "name",
    "kind",
    "region_code",
    "address",
    "service_types",
    "slots",
    "monthly_fees",
    "inclusive",
    "filing_receipt_number",
    "filed_on",
    "quality_grade",
    "latest_inspection",
]


def search(params, updated_since=None) -> QuerySet[DirectoryEntry]:
    """The directory as filtered by a query string: q (name or address), region (a county, city or
    province code), service, kind, inclusive, demonstration, kindergarten, employer, grade; and rows
    changed at or after `updated_since` (an aware datetime) when given."""
    entries = DirectoryEntry.objects.all()
    text = (params.get("q") or "").strip()[:50]
    if text:
        entries = entries.filter(Q(name__icontains=text) | Q(address__icontains=text))
    region = (params.get("region") or "").strip()
    if region:
        entries = entries.filter(region__in=Region.objects.subtree(region).values("pk"))
    service = params.get("service")
    if service in SERVICES:
        entries = entries.filter(**{service: True})
    if params.get("kind") in ("institution", "home_point"):
        entries = entries.filter(kind=params["kind"])
    for flag in ("inclusive", "demonstration", "kindergarten"):
        if params.get(flag) == "1":
            entries = entries.filter(**{flag: True})
    if params.get("employer") == "1":
        entries = entries.filter(employer_run=True)
    grade = (params.get("grade") or "").strip()
    if grade:
        entries = entries.filter(quality_grade=grade)
    if updated_since is not None:
        entries = entries.filter(updated_at__gte=updated_since)
    return entries


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from the cache (keyed by the filters) for a few minutes."""

    def __init__(self, object_list, per_page, key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.key = key

    def page(self, number):
        """A full page even when the cached total is a little behind (rows added since it was counted)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    @cached_property
    def count(self):
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        return cache.get_or_set(f"directory-count:{digest}", lambda: self.object_list.count(), COUNT_SECONDS)


def counties() -> list[tuple[str, str, int]]:
    """(code, name, institutions) of every county with an institution in the directory, cached."""

    def build():
        rows = (
            DirectoryEntry.objects.values("region_id", "region__name", "region__parent__name")
            .annotate(n=Count("pk"))
            .order_by("region_id")
        )
        return [
            (r["region_id"], f"{r['region__parent__name'] or ''}{r['region__name']}", r["n"]) for r in rows
        ]

    return cache.get_or_set("directory-counties", build, COUNT_SECONDS)


def grades() -> list[str]:
    """The quality grades found in the directory, best first (as the national bands order them), cached."""
    order = {"优秀": 0, "良好": 1, "合格": 2, "不合格": 3}

    def build():
        found = DirectoryEntry.objects.exclude(quality_grade="").values_list("quality_grade", flat=True)
        return sorted(set(found.distinct()), key=lambda g: (order.get(g, 9), g))

    return cache.get_or_set("directory-grades", build, COUNT_SECONDS)


def county_figures(code: str) -> dict:
    """The counts on a county's page: institutions and home-based points, slots, inclusive,
    demonstration, by grade."""

    def build():
        entries = DirectoryEntry.objects.filter(region__in=Region.objects.subtree(code).values("pk"))
        figures = entries.aggregate(
            total=Count("pk"),
            points=Count("pk", filter=Q(kind="home_point")),
            inclusive=Count("pk", filter=Q(inclusive=True)),
            demonstration=Count("pk", filter=Q(demonstration=True)),
            employer=Count("pk", filter=Q(employer_run=True)),
            slots=Sum("slots"),
        )
        figures["grades"] = list(
            entries.exclude(quality_grade="")
            .values_list("quality_grade")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        return figures

    return cache.get_or_set(f"directory-county:{code}", build, COUNT_SECONDS)


def open_row(entry: DirectoryEntry) -> dict:
    return {
        "uscc": entry.uscc,
        "name": entry.name,
        "kind": entry.kind,
        "region_code": entry.region_id,
        "address": entry.address,
        "service_types": entry.service_types,
        "slots": entry.slots,
        "monthly_fees": entry.monthly_fees,
        "inclusive": entry.inclusive,
        "filing_receipt_number": entry.receipt_number or None,
        "filed_on": entry.filed_on.isoformat() if entry.filed_on else None,
        "quality_grade": entry.quality_grade or None,
        "latest_inspection": entry.latest_inspection or None,
    }
