"""A quality assessment as people do it, in headless Chromium: the operator answers the self-assessment on a
390 px phone with a photo as evidence and submits it, the third-party assessor scores it, the health bureau
publishes it, the grade shows on the institution's public page; the operator appeals on the phone and the
bureau dismisses the appeal with a reason."""

import datetime
import os

import pytest
from django.utils import timezone

from inspections.models import Assessment, Rubric
from inspections.services import round_open
from registry.models import Authority
from registry.models.institutions import FilingStatus
from registry.roles import Role
from registry.services import operator_grant, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory
from tests.filing.conftest import push_institution
from tests.inspections.conftest import PNG

from .test_filing_flow import sign_in_admin, sign_in_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def shot(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_self_assessment_on_a_phone_scored_published_and_public(browser_page, regions):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    roles_sync()
    institution = push_institution(regions, name="清城区小海豚托育有限公司")
    institution.filing_status = FilingStatus.FILED
    institution.save(update_fields=["filing_status"])
    operator = UserFactory(username="op-dolphin")
    operator_grant(user=operator, institution=institution)
    bureau = StaffFactory(
        username="health-1", authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH
    )
    body = AuthorityFactory(kind=Authority.Kind.ASSESSMENT_BODY, region=regions["441800"], name="评估中心")
    assessor = StaffFactory(username="assessor-1", authority=body, role=Role.ASSESSOR)
    today = timezone.localdate()
    round_open(
        title="2026年质量评估",
        region=regions["441802"],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=30),
        rubric=Rubric.objects.get(region=None, code="wst821", current=True),
        assessor=body,
        acting_user=bureau,
    )
    assessment = Assessment.objects.get()

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_portal(page, operator.username, "pw")
    page.get_by_role("link", name="监督检查与整改").click()
    page.get_by_role("link", name="2026年质量评估").click()
    items = page.locator("fieldset.finding")
    assert items.count() == 26
    for n in range(items.count()):
        items.nth(n).get_by_label("达到", exact=True).check()
    items.nth(2).get_by_label("部分达到").check()
    items.nth(2).locator("textarea").fill("二楼活动室采光略不足")
    items.nth(0).locator("input[type=file]").set_input_files(
        files=[{"name": "营业执照.png", "mimeType": "image/png", "buffer": PNG}]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="提交自评").click()
    assert "自评已提交评估单位" in page.locator(".messages").inner_text()
    assert assessment.items.get(code="1.1").files.get().name == "营业执照.png"
    shot(page, "self-assessment-390")

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_admin(page, assessor.username)
    page.goto(f"{page.base_url}/admin/inspections/assessment/{assessment.pk}/score/")
    for item in assessment.items.all():
        page.locator(f"input[name=awarded-{item.pk}]").fill(str(item.points))
    page.locator(f"input[name=awarded-{assessment.items.get(code='1.3').pk}]").fill("1")
    page.locator(f"textarea[name=note-{assessment.items.get(code='1.3').pk}]").fill(
        "采光窗面积约为地面面积的15%"
    )
    page.get_by_role("button", name="保存评分").click()
    assert "已评分" in page.locator(".messagelist").inner_text()

    sign_in_admin(page, bureau.username)
    page.goto(f"{page.base_url}/admin/inspections/assessment/{assessment.pk}/change/")
    page.get_by_role("button", name="发布").click()
    assert "已发布" in page.locator(".messagelist").inner_text()

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/public/institutions/{institution.uscc}/")
    assert "优秀" in page.locator("main").inner_text()  # 98 of 100 points
    shot(page, "public-grade-390")

    sign_in_portal(page, operator.username, "pw")
    page.goto(
        f"{page.base_url}/portal/supervision/institutions/{institution.pk}/assessments/{assessment.pk}/"
    )
    page.get_by_label("申诉理由").fill("1.3 采光窗已重新测量，达到地面面积的20%")
    page.get_by_role("button", name="提交申诉").click()
    assert "申诉已提交" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "appealed-390")

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_admin(page, bureau.username)
    page.goto(f"{page.base_url}/admin/inspections/assessment/{assessment.pk}/change/")
    page.get_by_role("link", name="处理申诉").click()
    page.get_by_label("驳回申诉：维持原等级").check()
    page.get_by_label("处理理由").fill("复核现场测量记录，数据属实，维持原评定。")
    page.get_by_role("button", name="记录结论").click()
    assert "申诉已驳回" in page.locator(".messagelist").inner_text()
    assessment.refresh_from_db()
    assert assessment.status == "published" and assessment.appeals.get().decision == "dismissed"
