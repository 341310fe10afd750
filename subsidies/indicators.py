"""Supply indicators of a region and year, computed in a few grouped queries whatever the number of
institutions: figures per county (slots from the public directory and the education ledger, staff
certification from the register, inclusive fees, children and population from the reference figures),
summed up to cities and provinces, then turned into rates and compared with the targets in force."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from registry.models import Region

from .models import Fee, IndicatorSnapshot, ReferenceYear, SupplyTarget

COUNTS = (
    "institutions",
    "slots",
    "infant_slots",
    "kindergarten_slots",
    "inclusive_slots",
    "staff",
    "certified",
    "inclusive_fee_total",
    "inclusive_fee_count",
)
# (key, label, the target's field, at least (True) or at most (False), unit)
INDICATORS = [
    ("slots_per_1000_children", _("Slots per 1,000 children under 3"), "slots_per_1000_children", True, ""),
    ("slots_per_1000_population", _("Slots per 1,000 population"), "slots_per_1000_population", True, ""),
    ("inclusive_share", _("Inclusive share of slots"), "inclusive_share", True, "%"),
    ("kindergarten_share", _("Kindergarten-integrated share of slots"), "kindergarten_share", True, "%"),
    ("infant_slots", _("Infant class slots"), None, True, ""),
    ("certification_rate", _("Staff certification rate"), "certification_rate", True, "%"),
    ("fee_to_income", _("Average inclusive fee, % of monthly income"), "fee_to_income", False, "%"),
]


def _empty() -> dict:
    return dict.fromkeys(COUNTS, 0)


def county_counts(codes: list[str], on: datetime.date) -> dict[str, dict]:
    """{county: counts} for these county-level regions, one grouped query per source."""
    from filing.models import DirectoryEntry, NurseryClass
    from workforce.models import Employment
    from workforce.selectors import certification_rates

    found = {code: _empty() for code in codes}
    for row in (
        DirectoryEntry.objects.filter(region__in=codes)
        .values("region")
        .annotate(
            n=Count("pk"),
            all_slots=Sum("slots"),
            infant=Sum("infant_slots"),
            in_kindergartens=Sum("slots", filter=Q(kindergarten=True)),
            at_inclusive=Sum("slots", filter=Q(inclusive=True)),
        )
        .order_by()
    ):
        counts = found[row["region"]]
        counts["institutions"] = row["n"]
        counts["slots"] = row["all_slots"] or 0
        counts["infant_slots"] = row["infant"] or 0
        counts["kindergarten_slots"] = row["in_kindergartens"] or 0
        counts["inclusive_slots"] = row["at_inclusive"] or 0
    # Kindergartens' nursery classes kept in the education ledger (they do not file with health where the
    # city so decides): their places count as slots, and as kindergarten-integrated ones.
    for row in (
        NurseryClass.objects.filter(institution__region__in=codes)
        .exclude(institution__directory_entry__isnull=False)
        .values("institution__region")
        .annotate(all_places=Sum("places"))
        .order_by()
    ):
        counts = found[row["institution__region"]]
        counts["slots"] += row["all_places"] or 0
        counts["kindergarten_slots"] += row["all_places"] or 0
    employments = Employment.objects.filter(
        institution__region__in=codes, institution__directory_entry__isnull=False
    )
    for row in certification_rates(employments, on, "institution__region"):
        found[row["key"]]["staff"] = row["staff"]
        found[row["key"]]["certified"] = row["certified"]
    # The average inclusive fee: the full-day fee of the institutions recognised as inclusive.
    for row in (
        Fee.objects.filter(
            region__in=codes, service_type="full_day", institution__directory_entry__inclusive=True
        )
        .values("region")
        .annotate(total=Sum("monthly_fee"), n=Count("pk"))
        .order_by()
    ):
        found[row["region"]]["inclusive_fee_total"] = row["total"] or 0
        found[row["region"]]["inclusive_fee_count"] = row["n"]
    return found


def figures(region_codes: list[str], year: int, on: datetime.date) -> dict[str, dict]:
    """{region: counts, children, population, last year's income} for regions at any level: the counts of
    their counties summed; children and population the region's own reference figures, or else its
    counties' summed."""
    codes = list(region_codes)
    counties_of: dict[str, list[str]] = {code: [] for code in codes}
    # Every county-level region at or below the regions asked for, with its parent and grandparent: one query.
    for county, parent, grandparent in (
        Region.objects.filter(county_level=True)
        .filter(Q(pk__in=codes) | Q(parent_id__in=codes) | Q(parent__parent_id__in=codes))
        .values_list("pk", "parent_id", "parent__parent_id")
    ):
        for code in (county, parent, grandparent):
            if code in counties_of:
                counties_of[code].append(county)
    all_counties = sorted({c for group in counties_of.values() for c in group})
    counts = county_counts(all_counties, on)
    wanted = set(all_counties) | set(codes)
    # Population figures come out a year late: the latest figure up to the year counts.
    latest: dict[tuple[str, str], int] = {}
    income: dict[str, int] = {}
    for row in ReferenceYear.objects.filter(region__in=wanted, year__lte=year, year__gte=year - 3).order_by(
        "year"
    ):
        for field in ("children_under_3", "population"):
            if getattr(row, field) is not None:
                latest[(row.region_id, field)] = getattr(row, field)
        if row.year == year - 1 and row.income_all:
            income[row.region_id] = row.income_all
    found = {}
    for code, counties in counties_of.items():
        total = _empty()
        for county in counties:
            for key in COUNTS:
                total[key] += counts[county][key]
        for field in ("children_under_3", "population"):
            value = latest.get((code, field))
            if value is None:
                value = sum(latest.get((c, field), 0) for c in counties) or None
            total[field] = value
        total["income"] = income.get(code)
        found[code] = total
    return found


def rates(counts: dict) -> dict:
    def ratio(part, whole, scale):
        return round(Decimal(part) * scale / Decimal(whole), 1) if whole else None

    slots = counts["slots"]
    average_fee = (
        Decimal(counts["inclusive_fee_total"]) / counts["inclusive_fee_count"]
        if counts["inclusive_fee_count"]
        else None
    )
    return {
        "slots_per_1000_children": ratio(slots, counts.get("children_under_3"), 1000),
        "slots_per_1000_population": round(Decimal(slots) * 1000 / Decimal(counts["population"]), 2)
        if counts.get("population")
        else None,
        "inclusive_share": ratio(counts["inclusive_slots"], slots, 100),
        "kindergarten_share": ratio(counts["kindergarten_slots"], slots, 100),
        "infant_slots": counts["infant_slots"],
        "certification_rate": ratio(counts["certified"], counts["staff"], 100),
        "fee_to_income": round(average_fee * 100 / (Decimal(counts["income"]) / 12), 1)
        if average_fee is not None and counts.get("income")
        else None,
    }


def compared(values: dict, target: dict | None) -> list[dict]:
    """Each indicator with its value, the target in force and whether it is met (None: nothing to compare)."""
    rows = []
    for key, label, field, at_least, unit in INDICATORS:
        value = values.get(key)
        goal = (target or {}).get(field) if field else None
        met = None
        if value is not None and goal is not None:
            met = value >= goal if at_least else value <= goal
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "target": goal,
                "at_least": at_least,
                "unit": unit,
                "met": met,
            }
        )
    return rows


TARGET_FIELDS = [field for _key, _label, field, _at_least, _unit in INDICATORS if field]


def targets_for(region_codes: list[str]) -> dict[str, dict]:
    """{region: {target field: value}}: for each target, the region's own, else its city's, its province's
    or the national one (a region that sets only some targets keeps the others from above). Two queries."""
    ancestries = {
        code: [c for c in (code, parent, grandparent) if c]
        for code, parent, grandparent in Region.objects.filter(pk__in=region_codes).values_list(
            "pk", "parent_id", "parent__parent_id"
        )
    }
    above = {c for chain in ancestries.values() for c in chain}
    rows = {t.region_id: t for t in SupplyTarget.objects.filter(Q(region__isnull=True) | Q(region__in=above))}
    found = {}
    for code in region_codes:
        chain = [rows[c] for c in [*ancestries.get(code, []), None] if c in rows]
        found[code] = {
            field: next((getattr(t, field) for t in chain if getattr(t, field) is not None), None)
            for field in TARGET_FIELDS
        }
    return found


def table(region_codes: list[str], year: int, on: datetime.date) -> list[dict]:
    """For each region: its counts, its indicators compared with its targets."""
    counted = figures(region_codes, year, on)
    targets = targets_for(region_codes)
    return [
        {"code": code, "counts": counted[code], "rows": compared(rates(counted[code]), targets.get(code))}
        for code in region_codes
    ]


def snapshot(region_codes: list[str], year: int, on: datetime.date) -> int:
    """Keep these regions' figures for the year (recomputed while the year runs): the figures in a few
    grouped queries, the rows written in bulk."""
    counted = figures(region_codes, year, on)
    existing = {
        s.region_id: s for s in IndicatorSnapshot.objects.filter(region_id__in=list(counted), year=year)
    }
    create, update = [], []
    for code, values in counted.items():
        if code in existing:
            existing[code].figures = values
            update.append(existing[code])
        else:
            create.append(IndicatorSnapshot(region_id=code, year=year, figures=values))
    IndicatorSnapshot.objects.bulk_create(create, batch_size=1000)
    IndicatorSnapshot.objects.bulk_update(update, ["figures", "computed_at"], batch_size=1000)
    return len(counted)


def snapshot_all(year: int, on: datetime.date) -> int:
    """Every region that holds a county (provinces, cities, counties)."""
    codes = list(
        Region.objects.filter(Q(county_level=True) | Q(children__isnull=False))
        .distinct()
        .values_list("pk", flat=True)
    )
    return snapshot(codes, year, on)


def trend(region_code: str, year: int, on: datetime.date, years: int = 5) -> list[dict]:
    """The region's indicators year by year: kept snapshots for past years, this year's live."""
    kept = {
        s.year: s.figures
        for s in IndicatorSnapshot.objects.filter(
            region_id=region_code, year__gte=year - years + 1, year__lt=year
        )
    }
    kept[year] = figures([region_code], year, on)[region_code]
    return [{"year": y, "values": rates({**_empty(), **kept[y]})} for y in sorted(kept)]


def monthly_supply(county_codes: list[str], day: datetime.date) -> dict[str, list[dict]]:
    """For the monthly report: each county's indicators as at `day`, as text, with its targets."""
    found = {}
    for row in table(list(county_codes), day.year, day):
        found[row["code"]] = [
            {
                "label": str(cell["label"]),
                "value": "—" if cell["value"] is None else f"{cell['value']}{cell['unit']}",
                "target": "—"
                if cell["target"] is None
                else f"{'≥' if cell['at_least'] else '≤'} {cell['target']}{cell['unit']}",
                "met": cell["met"],
            }
            for cell in row["rows"]
        ]
    return found
