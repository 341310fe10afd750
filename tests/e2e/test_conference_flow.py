"""The joint conference as people use it, in headless Chromium: a member unit's liaison reports progress
in one step from their task list; the office sees it on the dashboard, issues the bulletin after
confirming, and everyone in the member units finds it in their inbox."""

import io

import pytest

from conference import demo as conference_demo
from conference.models import Bulletin, ProgressReport, Task
from notifications.models import Notification
from registry import demo as registry_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("input[type=submit]")


def test_liaison_reports_progress_and_the_office_issues_a_bulletin(browser_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    registry_demo.load(stdout=io.StringIO())
    conference_demo.load(stdout=io.StringIO())
    page = browser_page

    sign_in(page, "liaison-420300-education")
    page.goto(f"{page.base_url}/admin/conference/task/mine/")
    first = page.locator("article.conference-task").first
    first.locator("textarea").fill("已完成全市托育从业人员培训摸底，下月开班。")
    first.locator("input[type=submit]").click()
    page.wait_for_selector(".messagelist .success")
    assert ProgressReport.objects.filter(text__contains="下月开班").count() == 1

    sign_in(page, "office-420300")
    page.goto(f"{page.base_url}/admin/conference/conference/")
    page.locator("a[href$='/dashboard/']").first.click()
    page.wait_for_selector("svg.conference-chart")
    assert "逾期任务" in page.content()
    page.click("text=印发通报")
    page.wait_for_selector("text=确认")
    assert Bulletin.objects.count() == 0  # nothing is issued before the confirmation
    page.click("input[type=submit].default")
    page.wait_for_selector(".messagelist .success")
    bulletin = Bulletin.objects.get()
    notice = Notification.objects.get(
        recipient__username="liaison-420300-education", key__contains="bulletin"
    )
    assert notice.url == f"/admin/conference/bulletin/{bulletin.pk}/change/"
    page.goto(f"{page.base_url}/admin/conference/bulletin/{bulletin.pk}/print/")
    assert "通报" in page.content()


def test_the_office_reports_progress_from_the_task_page(browser_page, tmp_path, settings):
    """The report form is its own form below the task's: pressing 报送 keeps the text as a report."""
    settings.MEDIA_ROOT = tmp_path
    registry_demo.load(stdout=io.StringIO())
    conference_demo.load(stdout=io.StringIO())
    page = browser_page
    sign_in(page, "office-420300")
    task = Task.objects.filter(conference__region_id="420300", status__in=Task.ACTIVE).order_by("pk").first()
    page.goto(f"{page.base_url}/admin/conference/task/{task.pk}/change/")
    page.click("text=报送进展")
    page.fill("#report-progress textarea", "市联席办已督促各成员单位按月报送。")
    page.click("#report-progress input[type=submit]")
    page.wait_for_selector(".messagelist .success")
    assert "已报送进展" in page.locator(".messagelist").inner_text()
    assert ProgressReport.objects.filter(task=task, text="市联席办已督促各成员单位按月报送。").exists()
