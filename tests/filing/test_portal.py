"""The operator portal: start, fill, upload, submit, see what the bureau returned, resubmit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filing.models import Filing, OperatorSignup
from filing.selectors import required_materials
from filing.services import filing_return, signup_approve
from registry.services import operator_grant
from tests.factories import UserFactory
from tests.filing.conftest import FORM, PDF, push_institution

pytestmark = pytest.mark.django_db


def start(client, institution):
    client.post(f"/portal/institutions/{institution.pk}/filings/start/")
    return Filing.objects.get(institution=institution)


def test_the_whole_filing_in_the_portal(client, institution, operator, reviewer):
    client.force_login(operator)
    home = client.get("/portal/").content.decode()
    assert institution.name in home and "未备案" in home
    filing = start(client, institution)
    page = f"/portal/filings/{filing.pk}/"

    early = client.post(page, {**FORM, "submit": "1"})
    assert "请上传" in early.content.decode()  # materials missing: shown, nothing submitted
    filing.refresh_from_db()
    assert filing.status == "draft" and filing.monthly_fees == {"full_day": 2000}

    for requirement in required_materials(institution.region_id):
        if requirement.required:
            upload = SimpleUploadedFile(f"{requirement.code}.pdf", PDF, "application/pdf")
            client.post(page, {**FORM, "upload": requirement.pk, f"material-{requirement.pk}": upload})
    bad = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    response = client.post(page, {**FORM, f"material-{requirement.pk}": bad}, follow=True)
    assert "请上传 PDF、JPG 或 PNG 文件" in response.content.decode()

    client.post(page, {**FORM, "submit": "1"})
    filing.refresh_from_db()
    assert filing.status == "submitted" and filing.classes.get().slots == 15

    filing_return(filing=filing, acting_user=reviewer, reasons=[("场所", "请补充房屋产权证明")])
    returned = client.get(page).content.decode()
    assert "请补充房屋产权证明" in returned
    client.post(page, {**FORM, "tenure": "owned", "submit": "1"})
    filing.refresh_from_db()
    assert filing.status == "submitted"


def test_operators_reach_only_their_own_institutions(client, regions, institution, operator):
    client.force_login(operator)
    own = start(client, institution)
    stranger = UserFactory()
    operator_grant(user=stranger, institution=push_institution(regions))
    client.force_login(stranger)
    assert client.get(f"/portal/filings/{own.pk}/").status_code == 404
    assert client.post(f"/portal/institutions/{institution.pk}/filings/start/").status_code == 404
    client.logout()
    assert client.get("/portal/").status_code == 302


def test_signup_confirm_and_approval_path(
    client, institution, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "uscc": institution.uscc,
        "legal_representative": "李四",
        "full_name": "王经办",
        "phone": "13800000000",
        "email": "op@example.org",
        "username": "new-operator",
        "password": "Tuoyu-2026-pass",
        "password_again": "Tuoyu-2026-pass",
    }
    wrong = client.post("/portal/signup/", data)
    assert "没有与该统一社会信用代码和法定代表人相符的登记信息" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/signup/", {**data, "legal_representative": "张三"})
    (mail,) = mailoutbox
    link = next(word for word in mail.body.split() if "/portal/signup/confirm/" in word)
    confirmed = client.get(link[link.index("/portal/") :])
    assert confirmed.status_code == 200 and "邮箱已验证" in confirmed.content.decode()
    signed_in = client.post("/portal/login/", {"username": "new-operator", "password": "Tuoyu-2026-pass"})
    assert signed_in.status_code == 302
    assert "您的注册申请正在等待县级卫生健康部门审核" in client.get("/portal/").content.decode()

    signup = OperatorSignup.objects.get(user__username="new-operator")
    with django_capture_on_commit_callbacks(execute=True):
        signup_approve(signup=signup, acting_user=reviewer)
    assert institution.name in client.get("/portal/").content.decode()
    assert client.get("/portal/signup/confirm/tampered/").status_code == 400


def test_a_blank_class_row_is_ignored_and_a_half_filled_one_explained(client, institution, operator):
    client.force_login(operator)
    filing = start(client, institution)
    blank_row = {
        "classes-TOTAL_FORMS": "2",
        "classes-1-class_type": "infant",
        "classes-1-name": "",
        "classes-1-slots": "",
        "classes-1-enrolled": "",
        "classes-1-carers": "",
    }
    client.post(f"/portal/filings/{filing.pk}/", {**FORM, **blank_row, "save": "1"})
    assert filing.classes.count() == 1
    half = client.post(f"/portal/filings/{filing.pk}/", {**FORM, **blank_row, "classes-1-name": "乳儿班"})
    assert "请填写该班级的托位数，或清空该行" in half.content.decode()


def test_annual_report_and_termination_from_the_portal(client, institution, operator, reviewer, submitted):
    from filing.services import filing_accept

    filing_accept(filing=submitted, acting_user=reviewer)
    client.force_login(operator)
    url = f"/portal/institutions/{institution.pk}/annual-report/"
    year = timezone.localdate().year - 1
    report = {
        "year": year,
        "enrolled_children": 40,
        "staff_total": 12,
        "incidents": "",
        "fee_full_day": "2100",
    }
    assert client.post(url, report).status_code == 302
    assert institution.annual_reports.get().monthly_fees == {"full_day": 2100}
    again = client.post(url, report)
    assert f"{year}年度报告已提交" in again.content.decode()

    termination = {
        "planned_on": (timezone.localdate()).isoformat(),
        "children_plan": "转入附近机构",
        "staff_plan": "依法安置",
        "understood": "on",
    }
    assert client.post(f"/portal/institutions/{institution.pk}/termination/", termination).status_code == 302
    assert institution.terminations.get().status == "submitted"


def test_uploading_a_material_saves_what_was_typed(client, institution, operator):
    """Each Upload button submits the whole filing form: the typed entries become the draft."""
    client.force_login(operator)
    filing = start(client, institution)
    requirement = next(r for r in required_materials(institution.region_id) if r.required)
    upload = SimpleUploadedFile("licence.pdf", PDF, "application/pdf")
    response = client.post(
        f"/portal/filings/{filing.pk}/",
        {
            **FORM,
            "contact_person": "刚输入的联系人",
            "upload": requirement.pk,
            f"material-{requirement.pk}": upload,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#material-{requirement.code}")
    filing.refresh_from_db()
    assert filing.contact_person == "刚输入的联系人"
    assert filing.materials.get().original_name == "licence.pdf"


def test_an_upload_with_an_invalid_entry_keeps_the_file_and_the_entries(client, institution, operator):
    client.force_login(operator)
    filing = start(client, institution)
    requirement = next(r for r in required_materials(institution.region_id) if r.required)
    upload = SimpleUploadedFile("licence.pdf", PDF, "application/pdf")
    response = client.post(
        f"/portal/filings/{filing.pk}/",
        {
            **FORM,
            "contact_person": "刚输入的联系人",
            "building_area": "四百",
            "upload": requirement.pk,
            f"material-{requirement.pk}": upload,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="刚输入的联系人"' in page and 'value="四百"' in page  # shown again, to be corrected
    assert "已上传“licence.pdf”" in page
    assert filing.materials.count() == 1


def test_remove_is_a_button_of_the_filing_form_and_keeps_what_was_typed(client, institution, operator):
    client.force_login(operator)
    filing = start(client, institution)
    requirement = next(r for r in required_materials(institution.region_id) if r.required)
    client.post(
        f"/portal/filings/{filing.pk}/",
        {**FORM, f"material-{requirement.pk}": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )
    material = filing.materials.get()
    client.post(f"/portal/filings/{filing.pk}/", {**FORM, "contact_person": "改过的", "remove": material.pk})
    filing.refresh_from_db()
    assert filing.contact_person == "改过的" and not filing.materials.exists()


def test_the_commitment_card_does_not_read_as_a_decision(client, submitted, operator):
    """A submitted filing shows when the commitment was signed, never words of a granted filing."""
    client.force_login(operator)
    page = client.get(f"/portal/filings/{submitted.pk}/").content.decode()
    assert "签署承诺" in page
    assert "准予备案" not in page and "予以备案" not in page
