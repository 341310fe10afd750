"""Fee disclosure: each filed institution's current fee per service type from the latest of its filing,
annual report and recognition, compared with the guided standard; market regulation reads its region's
list with filters and exports it, and sees no other region's."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from filing.services import annual_report_submit
from registry.models import Authority, Institution
from registry.roles import Role
from registry.services import roles_sync
from subsidies.models import Fee, GuidedFee
from tests.factories import AuthorityFactory, StaffFactory

from .conftest import file, operator_of, push_institution, reviewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(regions):
    roles_sync()
    return StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"]),
        role=Role.MARKET_REGULATION,
    )


@pytest.fixture
def two_counties(regions, reviewer):
    here = push_institution(regions, name="清城非营利托育中心")
    Institution.objects.filter(pk=here.pk).update(route="social_service")
    here.refresh_from_db()
    file(
        here,
        operator_of(here),
        reviewer,
        service_types=["full_day", "half_day"],
        monthly_fees={"full_day": 1800, "half_day": 900},
    )
    there = push_institution(regions, "441803", name="清新托育有限公司")
    file(there, operator_of(there), reviewer_of(regions, "441803"))
    return here, there


def test_the_current_fee_is_the_latest_source_and_is_compared_with_the_guided_standard(
    regions, two_counties, django_capture_on_commit_callbacks
):
    here, _there = two_counties
    assert {
        (f.service_type, f.monthly_fee, f.source, f.over_guided) for f in Fee.objects.filter(institution=here)
    } == {
        ("full_day", 1800, "filing", False),
        ("half_day", 900, "filing", False),
    }
    with django_capture_on_commit_callbacks(execute=True):  # the refresh runs once it commits
        GuidedFee.objects.create(
            region=regions["441800"],
            year=timezone.localdate().year,
            service_type="full_day",
            monthly_fee=1600,
        )
    row = Fee.objects.get(institution=here, service_type="full_day")
    assert (row.guided_fee, row.over_guided) == (1600, True)
    operator = operator_of(here)
    annual_report_submit(
        institution=here,
        year=timezone.localdate().year - 1,
        enrolled_children=10,
        staff_total=5,
        incidents="",
        monthly_fees={"full_day": 1500},
        acting_user=operator,
    )
    row.refresh_from_db()
    assert (row.monthly_fee, row.previous_fee, row.source, row.over_guided) == (
        1500,
        1800,
        "annual_report",
        False,
    )
    assert row.changed_on == timezone.localdate()


def test_market_regulation_filters_and_exports_its_region_only(
    client, market, regions, two_counties, django_capture_on_commit_callbacks
):
    here, there = two_counties
    with django_capture_on_commit_callbacks(execute=True):  # the refresh runs once it commits
        GuidedFee.objects.create(
            region=regions["441800"],
            year=timezone.localdate().year,
            service_type="full_day",
            monthly_fee=1600,
        )
    client.force_login(market)
    url = reverse("admin:subsidies_fee_changelist")
    listing = client.get(url)
    assert listing.status_code == 200
    assert {f.institution_id for f in listing.context["cl"].result_list} == {here.pk}
    over = client.get(url, {"over_guided__exact": "1"}).context["cl"].result_list
    assert [(f.institution_id, f.service_type) for f in over] == [(here.pk, "full_day")]
    assert client.get(url, {"changed": "year"}).context["cl"].result_count == 2
    sheet = client.get(reverse("admin:subsidies_fee_export_xlsx"), {"over_guided__exact": "1"})
    assert sheet.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert len(rows) == 2 and "清城非营利托育中心" in rows[1] and "超过指导标准" in rows[0]
    assert (
        client.get(
            reverse("admin:subsidies_fee_change", args=[Fee.objects.get(institution=there).pk])
        ).status_code
        == 302
    )


def test_the_list_costs_the_same_queries_for_few_and_many_rows(
    client, market, regions, reviewer, django_assert_max_num_queries
):
    client.force_login(market)
    url = reverse("admin:subsidies_fee_changelist")
    for n in range(2):
        institution = push_institution(regions, name=f"托育{n}")
        file(institution, operator_of(institution), reviewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        institution = push_institution(regions, name=f"更多托育{n}")
        file(institution, operator_of(institution), reviewer)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
