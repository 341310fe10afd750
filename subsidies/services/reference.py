"""The price cap and the guided fee standards in force in a county, resolved from the reference data: the
county's own figures first, then its city's, then its province's."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from registry.models import Region
from registry.selectors import ancestry_codes, most_specific

from ..models import GuidedFee, PriceCapRule, ReferenceYear


@dataclass(frozen=True)
class Cap:
    amount: int  # yuan a month
    percent: Decimal
    income: str  # Income value
    income_yearly: int
    basis_year: int
    basis_region: Region


def cap_rule(region_code: str) -> PriceCapRule | None:
    try:
        return most_specific(PriceCapRule.objects.all(), region_code, key=lambda r: "rule").get("rule")
    except Region.DoesNotExist:
        return None


def price_cap(region_code: str, year: int) -> Cap | None:
    """The inclusive monthly fee cap of a county in a year: the rule's per cent of a twelfth of the
    previous year's per-capita disposable income, of the nearest region (county, city, province) that has
    that figure. None when no rule or no figure is known."""
    rule = cap_rule(region_code)
    if rule is None:
        return None
    ancestry = ancestry_codes(region_code)
    figures = {
        r.region_id: r
        for r in ReferenceYear.objects.filter(region_id__in=ancestry, year=year - 1).select_related("region")
    }
    for code in ancestry:
        found = figures.get(code)
        income = found.income(rule.income) if found else None
        if income:
            amount = (Decimal(income) * rule.percent / 100 / 12).quantize(Decimal(1), rounding=ROUND_FLOOR)
            return Cap(int(amount), rule.percent, rule.income, income, year - 1, found.region)
    return None


def guided_fees(region_code: str, year: int) -> dict[str, int]:
    """{service type: guided monthly fee} in force in a county in a year: for each service type the latest
    standard from that year or before, the county's own before its city's and its province's."""
    ancestry = ancestry_codes(region_code)
    found: dict[str, tuple[int, int, int]] = {}  # service type → (rank, -year, fee)
    for row in GuidedFee.objects.filter(region_id__in=ancestry, year__lte=year):
        candidate = (ancestry.index(row.region_id), -row.year, row.monthly_fee)
        if row.service_type not in found or candidate < found[row.service_type]:
            found[row.service_type] = candidate
    return {service: fee for service, (_rank, _year, fee) in found.items()}
