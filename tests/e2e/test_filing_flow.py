"""The filing flow as people do it, in headless Chromium: an operator signs up, files with uploads, the
bureau returns it, the operator corrects it, the bureau accepts it and the receipt shows."""

import re

import pytest
from django.core import mail

from filing.models import Filing
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, StaffFactory
from tests.filing.conftest import push_institution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sign_in_admin(page, username):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def sign_in_portal(page, username, password):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_operator_files_bureau_returns_then_accepts(browser_page, regions, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    institution = push_institution(regions)
    roles_sync()
    reviewer = StaffFactory(
        username="reviewer", authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH
    )
    assert reviewer.check_password("pw")

    # The operator signs up against the pushed registration and confirms the e-mail.
    page.goto(f"{page.base_url}/portal/signup/")
    for field, value in {
        "uscc": institution.uscc,
        "legal_representative": "张三",
        "full_name": "王经办",
        "phone": "13800000000",
        "email": "op@example.org",
        "username": "op",
        "password": "Tuoyu-2026-pass",
        "password_again": "Tuoyu-2026-pass",
    }.items():
        page.fill(f"#id_{field}", value)
    page.click("button[type=submit]")
    page.wait_for_selector("text=请查收邮件")
    link = re.search(r"http://\S+/portal/signup/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.wait_for_selector("text=邮箱已验证")

    # The bureau approves the sign-up in the admin.
    sign_in_admin(page, "reviewer")
    page.goto(f"{page.base_url}/admin/filing/operatorsignup/")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    page.click("input[type=submit].default")  # the confirmation page lists who is approved
    page.wait_for_selector(".messagelist .success")

    # The operator files, with every required material.
    sign_in_portal(page, "op", "Tuoyu-2026-pass")
    page.wait_for_selector(f"text={institution.name}")
    page.click("text=开始备案")
    page.fill("#id_contact_person", "王老师")
    page.fill("#id_contact_phone", "0763-1234567")
    page.fill("#id_building_area", "400")
    page.fill("#id_outdoor_area", "120")
    page.select_option("#id_tenure", "owned")
    page.check("input[name=service_types][value=full_day]")
    page.fill("#id_fee_full_day", "2000")
    for field, value in {
        "staff_management": "1",
        "staff_carers": "3",
        "staff_health": "1",
        "staff_security": "1",
        "staff_cooks": "1",
    }.items():
        page.fill(f"#id_{field}", value)
    page.select_option("#id_classes-0-class_type", "toddler")
    page.fill("#id_classes-0-slots", "15")
    page.fill("#id_classes-0-enrolled", "12")
    page.fill("#id_classes-0-carers", "3")
    page.check("#id_commitment")
    # Nothing is saved yet: the first upload saves what was typed with the file.
    uploads = page.locator("div.upload")
    for index in range(uploads.count()):
        row = page.locator("div.upload").nth(index)
        name = row.locator("input[type=file]").get_attribute("aria-label")
        if name == "其他材料":
            continue
        row.locator("input[type=file]").set_input_files(
            {"name": f"material{index}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        row.locator("button").click()
        page.wait_for_selector(f"text=已上传“material{index}.pdf”")
        assert page.input_value("#id_contact_person") == "王老师"
        assert page.input_value("#id_classes-0-enrolled") == "12"
    filing = Filing.objects.get(institution=institution)
    assert filing.contact_person == "王老师" and filing.commitment_accepted_at is not None
    page.click("button[name=submit]")
    page.wait_for_selector("text=已提交，县级卫生健康部门将进行审核")
    filing.refresh_from_db()
    assert filing.status == "submitted"
    # The commitment card says the commitment was signed; nothing reads as the bureau's decision yet.
    assert "签署承诺" in page.content()
    assert "准予备案" not in page.content() and "予以备案" not in page.content()

    # The bureau returns it with a reason.
    sign_in_admin(page, "reviewer")
    page.goto(f"{page.base_url}/admin/filing/filing/{filing.pk}/change/")
    page.click("text=退回补正")
    page.select_option("#id_item_0", "premises")
    page.fill("#id_reason_0", "请补充房屋产权证明")
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist .success")

    # The operator sees the reason, corrects and resubmits.
    sign_in_portal(page, "op", "Tuoyu-2026-pass")
    page.click("text=补正退回的备案")
    page.wait_for_selector("text=请补充房屋产权证明")
    page.fill("#id_building_area", "420")
    page.click("button[name=submit]")
    page.wait_for_selector("text=已提交，县级卫生健康部门将进行审核")

    # The bureau accepts; the receipt shows its number.
    sign_in_admin(page, "reviewer")
    page.goto(f"{page.base_url}/admin/filing/filing/{filing.pk}/change/")
    page.click("text=予以备案")
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    filing.refresh_from_db()
    assert filing.status == "accepted" and filing.building_area == 420
    sign_in_portal(page, "op", "Tuoyu-2026-pass")
    page.goto(f"{page.base_url}/filing/receipts/{filing.pk}/")
    page.wait_for_selector(f"text={filing.receipt_number}")
    assert "托育机构备案回执" in page.content()
