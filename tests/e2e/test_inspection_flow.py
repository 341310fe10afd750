"""Supervision as people use it, on a 390 px phone screen in headless Chromium: a fire inspector records an
inspection with a non-compliant item (a note, a photo), the operator answers the rectification in the
portal with evidence, the second inspector verifies and closes it, and the public page shows the result."""

import os

import pytest
from django.utils import timezone

from inspections.models import Inspection, Rectification
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


def test_fire_inspection_rectified_in_the_portal_then_published(browser_page, regions, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.on("dialog", lambda dialog: dialog.accept())
    roles_sync()
    institution = push_institution(regions, name="清城区小海豚托育有限公司")
    institution.filing_status = FilingStatus.FILED
    institution.save(update_fields=["filing_status"])
    operator = UserFactory(username="op-dolphin")
    operator_grant(user=operator, institution=institution)
    brigade = AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441802"], name="清城区消防救援大队")
    first, second = (
        StaffFactory(username=f"fire-{n}", authority=brigade, role=Role.FIRE, first_name=name)
        for n, name in ((1, "李监督"), (2, "王监督"))
    )
    photo = tmp_path / "灭火器.png"
    photo.write_bytes(PNG)

    sign_in_admin(page, first.username)
    page.goto(f"{page.base_url}/inspections/?q=小海豚")
    page.get_by_role("link", name="在此开始检查").click()
    page.get_by_label("王监督").check()
    page.get_by_role("button", name="开始").click()
    items = page.locator("fieldset.finding")
    assert items.count() == 6, page.locator("main").inner_text()
    first_item = items.nth(0)
    first_item.get_by_label("不符合").check()
    first_item.locator("textarea").fill("二楼灭火器压力不足")
    first_item.locator("input[type=file]").set_input_files(str(photo))
    for n in range(1, 6):
        items.nth(n).get_by_label("符合", exact=True).check()
    page.get_by_role("button", name="保存草稿").click()
    assert "已保存" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "inspection-390")
    page.select_option("#id_outcome", "rectify")
    page.get_by_role("button", name="记录检查结论").click()
    assert "已记录，整改中" in page.locator(".page-head").inner_text()
    inspection = Inspection.objects.get()
    assert inspection.findings.get(code="F01").photos.count() == 1

    sign_in_portal(page, operator.username, "pw")
    page.get_by_role("link", name="监督检查与整改").click()
    assert "二楼灭火器压力不足" in page.locator("#rectifications").inner_text()
    page.get_by_text("报送整改情况").click()
    page.get_by_label("整改情况").fill("已更换两具灭火器")
    page.locator("input[type=file][name=files]").set_input_files(str(photo))
    page.get_by_role("button", name="报送").click()
    assert "已报送检查部门" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "portal-390")

    sign_in_admin(page, second.username)
    rectification = Rectification.objects.get()
    page.goto(f"{page.base_url}/admin/inspections/rectification/{rectification.pk}/change/")
    assert "已更换两具灭火器" in page.content()
    page.get_by_role("link", name="复查销号").click()
    page.get_by_role("button", name="确认销号").click()
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.CLOSED

    page.context.clear_cookies()
    page.goto(f"{page.base_url}/public/institutions/{institution.uscc}/")
    results = page.locator("table").inner_text()
    assert timezone.localdate().isoformat() in results and "清城区消防救援大队" in results
    assert "责令限期整改" in results and "已整改并复查" in results
    assert "二楼灭火器压力不足" not in page.content()
    shot(page, "public-390")
