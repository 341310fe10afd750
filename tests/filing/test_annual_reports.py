"""The annual report: the bureau returns it for correction with a reason, the operator corrects the same
report, prefilled, and submits it again."""

import pytest
from django.core.exceptions import PermissionDenied

from filing.models import AnnualReport
from filing.services import FilingError, annual_report_return, annual_report_submit, filing_accept
from notifications.models import Notification

from .conftest import reviewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(submitted, operator, reviewer):
    filing_accept(filing=submitted, acting_user=reviewer)
    return annual_report_submit(
        institution=submitted.institution,
        year=2025,
        enrolled_children=40,
        staff_total=12,
        incidents="",
        monthly_fees={"full_day": 2000},
        acting_user=operator,
    )


def test_the_bureau_returns_a_report_and_the_operator_corrects_it(client, report, operator, reviewer):
    institution = report.institution
    client.force_login(reviewer)
    page = client.get(f"/admin/filing/annualreport/{report.pk}/change/").content.decode()
    assert f"/admin/filing/annualreport/{report.pk}/return/" in page
    assert client.post(f"/admin/filing/annualreport/{report.pk}/return/", {"reason": ""}).status_code == 200
    client.post(f"/admin/filing/annualreport/{report.pk}/return/", {"reason": "在托人数与备案不符，请核实"})
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "在托人数与备案不符，请核实"
    notice = Notification.objects.get(recipient=operator, key__startswith="annual-report-returned")
    assert notice.url == f"/portal/institutions/{institution.pk}/annual-report/?year=2025"

    client.force_login(operator)
    form = client.get(notice.url).content.decode()
    assert "在托人数与备案不符，请核实" in form and 'value="40"' in form and "更正2025年度报告" in form
    client.post(
        f"/portal/institutions/{institution.pk}/annual-report/",
        {
            "year": "2025",
            "enrolled_children": "36",
            "staff_total": "12",
            "incidents": "",
            "fee_full_day": "2000",
        },
    )
    report.refresh_from_db()
    notice.refresh_from_db()
    assert (report.status, report.enrolled_children) == ("submitted", 36)
    assert AnnualReport.objects.filter(institution=institution).count() == 1
    assert notice.read_at is not None


def test_only_the_countys_reviewer_returns_a_report_once_and_with_a_reason(regions, report, reviewer):
    with pytest.raises(PermissionDenied):
        annual_report_return(report=report, acting_user=reviewer_of(regions, "441803"), reason="不符")
    with pytest.raises(FilingError):
        annual_report_return(report=report, acting_user=reviewer, reason="  ")
    annual_report_return(report=report, acting_user=reviewer, reason="请核实")
    with pytest.raises(FilingError):
        annual_report_return(report=report, acting_user=reviewer, reason="再次退回")


def test_a_submitted_report_is_not_overwritten_by_a_second_submission(report, operator):
    with pytest.raises(FilingError, match="退回"):
        annual_report_submit(
            institution=report.institution,
            year=2025,
            enrolled_children=1,
            staff_total=1,
            incidents="",
            monthly_fees={},
            acting_user=operator,
        )
    report.refresh_from_db()
    assert report.enrolled_children == 40
