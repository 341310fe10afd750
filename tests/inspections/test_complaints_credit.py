"""Complaints from the public, credit records, health evaluations at filing, and supervision's figures in
the monthly report."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from filing.models import FilingPolicy
from inspections.models import Complaint, CreditRecord
from inspections.services import (
    InspectionError,
    complaint_answer,
    complaint_decline,
    complaint_route,
    complaint_submit,
    credit_record_add,
    escalate_rectifications,
    evaluation_record,
)
from notifications.models import Notification
from registry.models import Authority
from registry.roles import Role
from registry.selectors import visible
from tests.factories import AuthorityFactory, StaffFactory

from .conftest import K, inspect

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def submit(world, **changes):
    arguments = {
        "region_code": "441802",
        "institution_text": world.sun.name,
        "what_happened": "午睡时无人看护，孩子从床上摔下。",
        "contact_name": "张女士",
        "contact_phone": "13900000000",
        **changes,
    }
    return complaint_submit(**arguments)


def test_anyone_submits_a_complaint_and_follows_it_by_code(client, world):
    page = client.post(
        reverse("public:complaint-new"),
        {
            "region": "441802",
            "institution_text": world.sun.name,
            "what_happened": "午睡时无人看护，孩子从床上摔下。",
            "contact_name": "张女士",
            "contact_phone": "13900000000",
        },
    )
    complaint = Complaint.objects.get()
    assert page.status_code == 302 and page.url == f"/public/complaints/{complaint.tracking_code}/"
    assert complaint.institution == world.sun  # matched by its exact name
    assert Notification.objects.filter(
        recipient=world.health[0], title__contains=complaint.tracking_code
    ).exists()
    followed = client.get(page.url)
    assert (
        followed.context["just_sent"] and "张女士" not in followed.text and "13900000000" not in followed.text
    )
    found = client.get(reverse("public:complaint-track"), {"code": complaint.tracking_code.lower()})
    assert found.status_code == 302
    assert client.get(reverse("public:complaint-track"), {"code": "TSNOTACODE"}).context["form"].errors


def test_a_complaint_form_with_errors_keeps_what_was_typed(client, world):
    page = client.post(
        reverse("public:complaint-new"), {"region": "", "institution_text": "", "what_happened": "太短"}
    )
    assert page.status_code == 200
    assert set(page.context["form"].errors) >= {"region", "institution_text"}
    page = client.post(
        reverse("public:complaint-new"),
        {"region": "441802", "institution_text": "某托育", "what_happened": "太短"},
    )
    assert "what_happened" in page.context["form"].errors and "某托育" in page.text
    assert not Complaint.objects.exists()


def test_complaints_are_rate_limited_per_address(client, world, settings):
    settings.COMPLAINTS_PER_HOUR = 2
    data = {"region": "441802", "institution_text": "某托育", "what_happened": "门口堆放杂物堵塞通道。"}
    assert client.post(reverse("public:complaint-new"), data).status_code == 302
    assert client.post(reverse("public:complaint-new"), data).status_code == 302
    assert client.post(reverse("public:complaint-new"), data).status_code == 429
    assert Complaint.objects.count() == 2


def test_the_bureau_routes_the_department_answers_and_credit_follows(world):
    complaint = submit(world)
    with pytest.raises(PermissionDenied):
        complaint_route(complaint=complaint, department=K.FIRE, acting_user=world.fire[0])
    complaint_route(complaint=complaint, department=K.FIRE, acting_user=world.health[0])
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ROUTED
    assert complaint.deadline == TODAY() + datetime.timedelta(days=15)
    assert Notification.objects.filter(
        recipient=world.fire[1], title__contains=complaint.tracking_code
    ).exists()
    with pytest.raises(PermissionDenied):
        complaint_answer(complaint=complaint, reply="x", upheld=True, acting_user=world.market[0])
    complaint_answer(
        complaint=complaint,
        reply="经查属实，已责令整改。",
        upheld=True,
        credit_severity="minor",
        acting_user=world.fire[0],
    )
    record = CreditRecord.objects.get(complaint=complaint)
    assert (record.institution, record.kind, record.severity) == (world.sun, "complaint_upheld", "minor")
    with pytest.raises(InspectionError):
        complaint_answer(complaint=complaint, reply="again", upheld=False, acting_user=world.health[0])


def test_a_complaint_not_accepted_says_why(world):
    complaint = submit(world)
    with pytest.raises(InspectionError):
        complaint_decline(complaint=complaint, reason=" ", acting_user=world.health[0])
    complaint_decline(complaint=complaint, reason="不属于托育机构", acting_user=world.health[0])
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reply) == (Complaint.Status.NOT_ACCEPTED, "不属于托育机构")


def test_departments_see_only_complaints_routed_to_them_and_operators_never(world):
    complaint = submit(world)
    assert not visible(Complaint.objects.all(), world.fire[0]).exists()
    assert visible(Complaint.objects.all(), world.health[0]).get() == complaint
    complaint_route(complaint=complaint, department=K.FIRE, acting_user=world.health[0])
    assert visible(Complaint.objects.all(), world.fire[0]).exists()
    assert not visible(Complaint.objects.all(), world.market[0]).exists()
    assert not visible(Complaint.objects.all(), world.sun_operator).exists()


def test_the_complainants_identity_never_reaches_the_operator(client, world):
    complaint = submit(world, contact_name="举报人王某", contact_phone="13712345678")
    complaint_route(complaint=complaint, department=K.FIRE, acting_user=world.health[0])
    client.force_login(world.sun_operator)
    client.get(reverse("field:start", args=[world.sun.pk]))  # not theirs to open
    inspection = inspect(world.fire, world.sun, K.FIRE, failing={"F01"})
    complaint.inspection = inspection
    complaint.save()
    seen = []
    for url in (
        reverse("portal:home"),
        reverse("portal:inbox"),
        reverse("supervision:institution", args=[world.sun.pk]),
        reverse("admin:inspections_complaint_change", args=[complaint.pk]),
        reverse("public:institution", args=[world.sun.uscc]),
    ):
        seen.append(client.get(url, follow=True).content.decode())
    text = "".join(seen)
    assert "举报人王某" not in text and "13712345678" not in text and complaint.tracking_code not in text
    assert not Notification.objects.filter(recipient=world.sun_operator, body__contains="举报人王某").exists()


def test_the_admin_handles_a_complaint_step_by_step(client, world):
    complaint = submit(world, institution_text="阳光托育")
    assert complaint.institution is None  # not its exact name: the bureau recognises it
    client.force_login(world.health[0])
    url = reverse("admin:inspections_complaint_handle", args=[complaint.pk, "route"])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["deadline"].value()
    deadline = (TODAY() + datetime.timedelta(days=10)).isoformat()
    assert (
        client.post(
            url, {"institution": world.star.pk, "department": K.FIRE, "deadline": deadline}
        ).status_code
        == 200
    )
    route = {"institution": world.sun.pk, "department": K.FIRE, "deadline": deadline, "note": "请核查"}
    assert client.post(url, route).status_code == 302
    client.force_login(world.fire[0])
    url = reverse("admin:inspections_complaint_handle", args=[complaint.pk, "answer"])
    assert client.post(url, {"reply": "已核查", "upheld": "0", "credit_severity": ""}).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.upheld, complaint.institution) == (
        Complaint.Status.ANSWERED,
        False,
        world.sun,
    )


def test_a_ban_enters_the_persons_credit_record(world):
    from workforce.services import ban_record

    police = StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.PUBLIC_SECURITY, region=world.regions["441802"]),
        role=Role.PUBLIC_SECURITY,
    )
    ban = ban_record(
        document_type="ric",
        document_number="441802199003151235",
        name="赵某",
        reason="虐待婴幼儿",
        decided_by_body="清城区人民法院",
        decided_on=TODAY(),
        lifetime=True,
        until=None,
        scan=None,
        acting_user=police,
    )
    record = CreditRecord.objects.get(ban=ban)
    assert (record.subject, record.severity, record.valid_until) == ("person", "serious", None)
    assert "441802199003151235" not in record.document_masked


def test_a_month_overdue_rectification_enters_the_credit_record_once(world):
    inspection = inspect(world.fire, world.sun, K.FIRE, failing={"F01"})
    rectification = inspection.rectifications.get()
    late = rectification.deadline + datetime.timedelta(days=30)
    assert escalate_rectifications(today=late - datetime.timedelta(days=1))["credit_records"] == 0
    assert escalate_rectifications(today=late)["credit_records"] == 1
    assert escalate_rectifications(today=late)["credit_records"] == 0
    assert CreditRecord.objects.get().kind == "rectification_overdue"


def test_serious_bad_records_show_publicly_while_valid(client, world):
    arguments = {
        "institution": world.sun,
        "kind": "sanction",
        "description": "超规模收托，处罚款",
        "decided_by_body": "清城区卫健局",
        "decided_on": TODAY() - datetime.timedelta(days=5),
        "acting_user": world.health[0],
    }
    credit_record_add(severity="minor", valid_until=None, **{**arguments, "description": "一般失信"})
    credit_record_add(
        severity="serious",
        valid_until=TODAY() - datetime.timedelta(days=1),
        **{**arguments, "description": "已过期"},
    )
    credit_record_add(severity="serious", valid_until=TODAY() + datetime.timedelta(days=30), **arguments)
    page = client.get(reverse("public:institution", args=[world.sun.uscc]))
    assert [r.description for r in page.context["credit"]] == ["超规模收托，处罚款"]
    with pytest.raises(InspectionError) as refused:
        credit_record_add(severity="good", valid_until=None, **arguments)
    assert "severity" in refused.value.errors
    with pytest.raises(PermissionDenied):
        credit_record_add(severity="minor", valid_until=None, **{**arguments, "acting_user": world.fire[0]})


def test_the_credit_export_has_the_documented_columns_in_excel_and_csv(client, world):
    credit_record_add(
        institution=world.sun,
        kind="sanction",
        severity="serious",
        description='=HYPERLINK("x")',
        decided_by_body="清城区卫健局",
        decided_on=TODAY(),
        valid_until=None,
        acting_user=world.health[0],
    )
    client.force_login(world.health[0])
    book = load_workbook(io.BytesIO(client.get(reverse("admin:inspections_credit_xlsx")).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("记录编号", "主体类型", "名称") and rows[1][3] == world.sun.uscc
    assert rows[1][6] == '=HYPERLINK("x")' and book.active.cell(2, 7).data_type == "s"
    csv_text = b"".join(client.get(reverse("admin:inspections_credit_csv")).streaming_content).decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[0].startswith("记录编号,主体类型,名称")
    assert "'=HYPERLINK" in csv_text
    client.force_login(world.health[0].__class__.objects.get(pk=world.sun_operator.pk))
    assert client.get(reverse("admin:inspections_credit_csv")).status_code == 302


def evaluate(world, **changes):
    mch = StaffFactory(
        username="mch-441802",
        authority=AuthorityFactory(kind=Authority.Kind.MCH, region=world.regions["441802"]),
        role=Role.MCH,
    )
    arguments = {
        "institution": world.moon,
        "evaluated_on": TODAY() - datetime.timedelta(days=10),
        "result": "pass",
        "valid_until": TODAY() + datetime.timedelta(days=300),
        "report": SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        "acting_user": mch,
        **changes,
    }
    return evaluation_record(**arguments)


def test_health_evaluations_are_recorded_by_the_mch_institution(world):
    with pytest.raises(InspectionError) as refused:
        evaluate(world, valid_until=TODAY() - datetime.timedelta(days=20))
    assert "valid_until" in refused.value.errors
    with pytest.raises(PermissionDenied):
        evaluate(world, acting_user=world.fire[0])
    assert evaluate(world).region_id == "441802"


@pytest.fixture
def draft(world):
    from tests.filing.conftest import complete_draft

    return complete_draft(world.moon, world.moon_operator)


def test_filing_rule_required_refuses_a_submission_without_an_evaluation(world, draft):
    from filing.services import filing_submit
    from filing.services.errors import FilingError

    FilingPolicy.objects.update_or_create(region=None, defaults={"health_evaluation_rule": "required"})
    with pytest.raises(FilingError) as refused:
        filing_submit(filing=draft, acting_user=world.moon_operator)
    assert "health_evaluation" in refused.value.errors
    evaluate(world)
    filing_submit(filing=draft, acting_user=world.moon_operator)


def test_filing_rule_finding_notes_a_missing_evaluation_for_the_reviewer(world, draft):
    from filing.services import filing_submit

    FilingPolicy.objects.update_or_create(region=None, defaults={"health_evaluation_rule": "finding"})
    filed = filing_submit(filing=draft, acting_user=world.moon_operator)
    assert "health_evaluation" in {f["code"] for f in filed.findings}


def test_an_evaluation_on_record_replaces_the_uploaded_report(world):
    from filing.services.filings import submission_problems
    from tests.filing.conftest import complete_draft

    draft = complete_draft(world.moon, world.moon_operator, materials=False)
    assert "material:health_evaluation" in submission_problems(draft)
    evaluate(world)
    assert "material:health_evaluation" not in submission_problems(draft)


def test_the_monthly_report_counts_supervision(world):
    from filing.models import MonthlyReport
    from filing.services.monthly_push import monthly_push

    inspect(world.fire, world.sun, K.FIRE, failing={"F01", "F02"}, days_ago=0)
    inspect(world.market, world.moon, K.MARKET_REGULATION, days_ago=0)
    complaint = submit(world)
    complaint_decline(complaint=complaint, reason="重复举报", acting_user=world.health[0])
    submit(world)
    monthly_push(month=TODAY())
    counts = MonthlyReport.objects.get(region_id="441802", month=TODAY().replace(day=1)).counts
    assert counts["inspections"] == 2 and counts["rectifications_open"] == 2
    assert (counts["complaints_received"], counts["complaints_closed"]) == (2, 1)
    assert (
        MonthlyReport.objects.get(region_id="441800", month=TODAY().replace(day=1)).counts["inspections"] == 2
    )


def test_the_complaint_form_checks_the_phone_and_groups_counties_by_city(client, world):
    page = client.get(reverse("public:complaint-new"))
    groups = dict(page.context["form"].fields["region"].choices[1:])
    assert dict(groups["广东省 清远市"])["441802"] == "清城区"
    page = client.post(
        reverse("public:complaint-new"),
        {
            "region": "441802",
            "institution_text": "某托育",
            "what_happened": "门口堆放杂物堵塞通道。",
            "contact_phone": "123",
        },
    )
    assert "contact_phone" in page.context["form"].errors and not Complaint.objects.exists()
