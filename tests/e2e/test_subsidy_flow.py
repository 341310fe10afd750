"""In headless Chromium: an operator on a 390 px phone applies for inclusive recognition and then for an
operating subsidy; the county bureau recognises the institution and approves the subsidy, the amount lands
in a payment batch, and the supply indicators page shows the institution's slots as inclusive."""

import pytest
from django.utils import timezone

from filing.services import filing_accept, filing_submit
from registry.services import operator_grant
from subsidies.models import Budget, Programme, ProgrammeRule, ReferenceYear, SupplyTarget
from tests.factories import UserFactory
from tests.filing.conftest import complete_draft, push_institution, reviewer_of

from .test_filing_flow import sign_in_admin, sign_in_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_recognition_then_a_subsidy_from_a_phone_to_a_payment_batch(
    browser_page, regions, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    reviewer = reviewer_of(regions, "441802")
    institution = push_institution(regions, name="阳光托育有限公司")
    operator = UserFactory(username="sun-operator")
    operator_grant(user=operator, institution=institution)
    filing = complete_draft(institution, operator)
    filing_accept(filing=filing_submit(filing=filing, acting_user=operator), acting_user=reviewer)
    programme = Programme.objects.create(
        name="普惠托育运营补贴", kind="operating", region=regions["441802"], rate=200, period="quarter"
    )
    ProgrammeRule.objects.create(programme=programme, condition="inclusive")
    Budget.objects.create(programme=programme, year=today.year, amount=100000)
    ReferenceYear.objects.create(region=regions["441802"], year=today.year - 1, children_under_3=1000)
    SupplyTarget.objects.create(region=regions["441802"], inclusive_share=90)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_portal(page, "sun-operator", "pw")
    page.get_by_role("link", name="普惠认定").click()
    page.get_by_label("全日托月收费（元）").fill("1500")
    page.get_by_label("本机构作出以上承诺。").check()
    page.get_by_role("button", name="提交申请").click()
    assert "申请已提交" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_admin(page, reviewer.username)
    page.locator(".workbench-tasks a", has_text="待决定的认定申请").click()
    page.get_by_role("link", name="阳光托育有限公司").first.click()
    page.get_by_role("link", name="作出决定").click()
    page.get_by_label("予以认定").check()
    page.get_by_role("button", name="记录结论").click()
    assert "已认定，有效期至" in page.locator(".messagelist").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_portal(page, "sun-operator", "pw")
    page.get_by_role("link", name="补贴申请").click()
    card = page.locator(f"#programme-{programme.pk}")
    assert "通过" in card.inner_text() and card.get_by_label("在托人数").input_value() == "12"
    card.get_by_role("button", name="提交申请").click()
    assert "申请已提交" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_admin(page, reviewer.username)
    page.locator(".workbench-tasks a", has_text="待决定的补贴申请").click()
    page.get_by_role("link", name="阳光托育有限公司").first.click()
    page.get_by_role("link", name="作出决定").click()
    assert "7200 元" in page.locator("body").inner_text()  # 200 yuan × 12 children × 3 months
    page.get_by_label("予以批准").check()
    page.get_by_role("button", name="记录结论").click()
    assert "已批准：7200 元" in page.locator(".messagelist").inner_text()
    page.goto(f"{page.base_url}/admin/subsidies/paymentbatch/add/")
    page.get_by_label("补贴项目").select_option(str(programme.pk))
    page.get_by_role("button", name="保存", exact=True).click()
    assert "已将 1 份已批准的申请加入本批次" in page.locator(".messagelist").inner_text()
    page.goto(f"{page.base_url}/admin/subsidies/paymentbatch/")
    assert "7200" in page.locator("#result_list").inner_text()
    page.goto(f"{page.base_url}/admin/subsidies/indicatorsnapshot/")
    table = page.locator(".indicator-table").inner_text()
    assert "100.0%" in table and "15.0" in table  # every slot inclusive; 15 slots per 1,000 children
