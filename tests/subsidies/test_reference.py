"""The price cap and guided standards come from the reference data, never from code: the cap is the rule's
per cent of a twelfth of the previous year's income of the chosen residents, from the nearest region that
has the figure; guided standards are the county's own before its city's, the latest year first."""

import pytest
from django.utils import timezone

from subsidies.models import GuidedFee, PriceCapRule, ReferenceYear
from subsidies.services import guided_fees, price_cap

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_the_cap_is_computed_from_last_years_income(regions):
    assert price_cap("441802", YEAR) is None  # no rule
    PriceCapRule.objects.create(region=regions["441800"], percent=30, income="urban")
    assert price_cap("441802", YEAR) is None  # a rule but no figure
    ReferenceYear.objects.create(
        region=regions["441800"], year=YEAR - 1, income_all=50000, income_urban=66800
    )
    ReferenceYear.objects.create(
        region=regions["441800"], year=YEAR, income_urban=99999
    )  # this year: not used
    cap = price_cap("441802", YEAR)
    assert (cap.amount, cap.income_yearly, cap.basis_year, cap.basis_region.pk) == (
        1670,
        66800,
        YEAR - 1,
        "441800",
    )
    # The county's own figure comes before its city's; its own rule before the city's.
    ReferenceYear.objects.create(
        region=regions["441802"], year=YEAR - 1, income_urban=48000, income_all=40000
    )
    assert price_cap("441802", YEAR).amount == 1200
    PriceCapRule.objects.create(region=regions["441802"], percent=25, income="all")
    assert price_cap("441802", YEAR).amount == 833  # 25 % of 40,000 / 12, rounded down
    # A neighbour with neither rule nor figure of its own: the city's rule on the city's urban income.
    assert price_cap("441803", YEAR).amount == 1670


def test_guided_standards_prefer_the_county_and_the_latest_year_up_to_the_given_one(regions):
    GuidedFee.objects.create(
        region=regions["441800"], year=YEAR - 2, service_type="full_day", monthly_fee=1500
    )
    GuidedFee.objects.create(
        region=regions["441800"], year=YEAR - 1, service_type="full_day", monthly_fee=1600
    )
    GuidedFee.objects.create(
        region=regions["441800"], year=YEAR + 1, service_type="full_day", monthly_fee=9999
    )
    GuidedFee.objects.create(
        region=regions["441800"], year=YEAR - 1, service_type="half_day", monthly_fee=900
    )
    GuidedFee.objects.create(
        region=regions["441802"], year=YEAR - 3, service_type="half_day", monthly_fee=800
    )
    assert guided_fees("441802", YEAR) == {"full_day": 1600, "half_day": 800}
    assert guided_fees("441803", YEAR) == {"full_day": 1600, "half_day": 900}
    assert guided_fees("441803", YEAR - 2) == {"full_day": 1500}


def test_one_rule_per_region_and_one_national_rule(regions):
    from django.db import IntegrityError, transaction

    PriceCapRule.objects.create(region=None, percent=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceCapRule.objects.create(region=None, percent=25)
    PriceCapRule.objects.create(region=regions["441802"], percent=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceCapRule.objects.create(region=regions["441802"], percent=20)
