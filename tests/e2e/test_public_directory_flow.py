"""In headless Chromium: a parent on a 390 px phone searches the public directory, narrows it to full-day
care, opens an institution and reads its fees and its latest inspection result; a county clerk opens the
workbench and clicks through to the filings over the review limit."""

import datetime

import pytest
from django.utils import timezone

from filing.models import Filing
from filing.services import filing_accept, filing_submit
from registry.models import Authority
from registry.roles import Role
from registry.services import operator_grant
from tests.factories import UserFactory
from tests.filing.conftest import complete_draft, push_institution, reviewer_of
from tests.inspections.conftest import department_team, inspect

from .test_filing_flow import sign_in_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def filed(regions, name, reviewer, **data):
    institution = push_institution(regions, name=name)
    operator = UserFactory()
    operator_grant(user=operator, institution=institution)
    filing = complete_draft(institution, operator, data=data)
    filing_accept(filing=filing_submit(filing=filing, acting_user=operator), acting_user=reviewer)
    return institution


def test_a_parent_finds_an_institution_and_reads_its_fees_and_results(browser_page, regions):
    reviewer = reviewer_of(regions, "441802")
    sun = filed(
        regions, "阳光托育有限公司", reviewer, service_types=["full_day"], monthly_fees={"full_day": 2600}
    )
    filed(
        regions, "月亮半日托有限公司", reviewer, service_types=["half_day"], monthly_fees={"half_day": 1300}
    )
    inspect(department_team(regions, Authority.Kind.FIRE, Role.FIRE, "441802"), sun, "fire")  # passed, closed

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/public/")
    assert "共找到 2 家机构" in page.locator("main").inner_text()
    page.get_by_label("名称或地址").fill("托育")
    page.get_by_label("服务类型").select_option("full_day")
    page.get_by_role("button", name="搜索").click()
    listing = page.locator(".directory-list")
    assert "阳光托育有限公司" in listing.inner_text() and "月亮" not in listing.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="阳光托育有限公司").click()
    main = page.locator("main").inner_text()
    assert "每月 2600 元" in main
    assert "合格" in page.locator("table").inner_text()  # the fire inspection's outcome
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_county_clerk_opens_the_workbench_and_goes_to_the_overdue_filings(browser_page, regions):
    reviewer = reviewer_of(regions, "441802")
    late = push_institution(regions, name="迟迟未审托育有限公司")
    operator = UserFactory()
    operator_grant(user=operator, institution=late)
    filing = filing_submit(filing=complete_draft(late, operator), acting_user=operator)
    Filing.objects.filter(pk=filing.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=60))

    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_admin(page, reviewer.username)
    task = page.locator(".workbench-tasks a", has_text="超过审核时限的备案")
    assert task.locator("strong").inner_text() == "1"
    task.click()
    assert "overdue=yes" in page.url
    assert "迟迟未审托育有限公司" in page.locator("#result_list").inner_text()
