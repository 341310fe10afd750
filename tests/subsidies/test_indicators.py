"""Supply indicators match hand-computed values on a small fixture, roll up from counties to the city,
compare with the targets in force (a region's own before those above it), keep a year's figures for the
trend, cost the same queries for 2 counties and 20, and show each person only their jurisdiction."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from subsidies import indicators
from subsidies.models import IndicatorSnapshot, ReferenceYear, SupplyTarget
from subsidies.services import recognition_decide

from .conftest import apply, operator_of, push_institution, reviewer_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def supply(regions, filed, operator, reviewer):
    """清城区: 15 toddler slots, recognised inclusive at 1,400 yuan full-day; 清新区: 6 infant and 10 toddler
    slots, not inclusive. Children 1,000 and 500; the city's income last year 60,000; the city's targets."""
    recognition_decide(
        recognition=apply(filed, operator, {"full_day": 1400}),
        recognised=True,
        reason="",
        acting_user=reviewer,
    )
    other = push_institution(regions, "441803", name="清新托育有限公司")
    from filing.services import filing_accept, filing_submit

    from .conftest import complete_draft

    other_operator = operator_of(other)
    draft = complete_draft(
        other,
        other_operator,
        classes=[
            {"class_type": "infant", "name": "乳儿班", "slots": 6, "enrolled": 5, "carers": 2},
            {"class_type": "toddler", "name": "托小班", "slots": 10, "enrolled": 8, "carers": 2},
        ],
    )
    filing_accept(
        filing=filing_submit(filing=draft, acting_user=other_operator),
        acting_user=reviewer_of(regions, "441803"),
    )
    ReferenceYear.objects.create(
        region=regions["441802"], year=TODAY.year - 1, children_under_3=1000, population=100000
    )
    ReferenceYear.objects.create(
        region=regions["441803"], year=TODAY.year, children_under_3=500, population=60000
    )
    ReferenceYear.objects.create(region=regions["441800"], year=TODAY.year - 1, income_all=60000)
    SupplyTarget.objects.create(
        region=regions["441800"], slots_per_1000_children=20, inclusive_share=50, fee_to_income=30
    )
    assert SupplyTarget.objects.get(region=None).slots_per_1000_population == 4.5  # the national preset
    return regions


def by_key(row):
    return {cell["key"]: cell for cell in row["rows"]}


def test_the_indicators_match_hand_computed_values(supply):
    county, neighbour, city = indicators.table(["441802", "441803", "441800"], TODAY.year, TODAY)
    county, neighbour, city = by_key(county), by_key(neighbour), by_key(city)
    assert float(county["slots_per_1000_children"]["value"]) == pytest.approx(15.0)  # 15 / 1,000 children
    assert county["inclusive_share"]["value"] == 100
    assert float(county["slots_per_1000_population"]["value"]) == pytest.approx(0.15)
    assert neighbour["infant_slots"]["value"] == 6 and neighbour["inclusive_share"]["value"] == 0
    # The city: 31 slots for 1,500 children (its counties' figures summed), 15 of 31 inclusive.
    assert float(city["slots_per_1000_children"]["value"]) == pytest.approx(20.7)
    assert city["slots_per_1000_children"]["met"] is True
    assert (
        float(city["inclusive_share"]["value"]) == pytest.approx(48.4)
        and city["inclusive_share"]["met"] is False
    )
    assert city["infant_slots"]["value"] == 6
    # 1,400 yuan against a twelfth of 60,000 (5,000): 28 %, within 30 %.
    assert (
        float(city["fee_to_income"]["value"]) == pytest.approx(28.0) and city["fee_to_income"]["met"] is True
    )
    assert city["certification_rate"]["value"] is None  # nobody on the staff register
    # A county takes its city's targets, and the national one where its city sets none.
    assert county["slots_per_1000_children"]["target"] == 20
    assert float(county["slots_per_1000_population"]["target"]) == pytest.approx(4.5)
    assert county["slots_per_1000_population"]["met"] is False


def test_a_year_is_kept_for_the_trend(supply):
    indicators.snapshot(["441800"], TODAY.year - 1, TODAY)
    kept = IndicatorSnapshot.objects.get(region_id="441800", year=TODAY.year - 1)
    assert kept.figures["slots"] == 31
    assert indicators.snapshot_all(TODAY.year - 1, TODAY) >= 3
    trend = indicators.trend("441800", TODAY.year, TODAY)
    assert [point["year"] for point in trend] == [TODAY.year - 1, TODAY.year]


def test_the_figures_cost_the_same_queries_for_few_counties_and_many(supply, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        indicators.table(["441802"], TODAY.year, TODAY)
    with CaptureQueriesContext(connection) as many:
        indicators.table(
            ["440000", "441800", "441802", "441803", "420000", "420300", "420302"], TODAY.year, TODAY
        )
    assert len(many.captured_queries) == len(one.captured_queries)


def test_each_person_sees_their_jurisdiction_and_exports_it(client, supply):
    url = reverse("admin:subsidies_indicatorsnapshot_changelist")
    county = reviewer_of(supply, "441802")
    client.force_login(county)
    page = client.get(url)
    assert page.status_code == 200 and [row["code"] for row in page.context["rows"]] == ["441802"]
    assert client.get(url, {"region": "420300"}).context["rows"][0]["code"] == "441802"  # not theirs
    from registry.roles import Role
    from tests.factories import AuthorityFactory, StaffFactory

    city = StaffFactory(authority=AuthorityFactory(region=supply["441800"]), role=Role.SUPERVISING_HEALTH)
    client.force_login(city)
    page = client.get(url)
    assert [row["code"] for row in page.context["rows"]] == ["441800", "441802", "441803"]
    sheet = client.get(url, {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert rows[0][0] == "行政区划" and rows[1][0] == "清远市" and len(rows) == 4


def test_each_county_report_carries_its_supply_indicators(supply):
    from filing.models import MonthlyReport
    from filing.services.monthly_push import monthly_push
    from filing.workbooks import monthly_workbook

    month = TODAY.replace(day=1)
    monthly_push(month=month)
    report = MonthlyReport.objects.get(region_id="441802", month=month)
    figures = {row["label"]: row for row in report.rows["supply"]}
    assert (
        figures["每千名3岁以下婴幼儿托位数"]["value"] == "15.0"
        and figures["普惠托位占比"]["value"] == "100.0%"
    )
    assert (
        figures["每千名3岁以下婴幼儿托位数"]["target"] == "≥ 20.0"
        and figures["每千名3岁以下婴幼儿托位数"]["met"] is False
    )
    data = monthly_workbook(report)
    book = openpyxl.load_workbook(io.BytesIO(data if isinstance(data, bytes) else b"".join(data)))
    rows = list(book["供给指标"].values)
    assert (
        rows[0] == ("指标", "数值", "目标", "是否达标")
        and ("普惠托位占比", "100.0%", "≥ 50.0%", "达标") in rows
    )
