"""Lists and forms a clerk uses every day fit a 1366 px screen: every column of a list is visible without
scrolling it sideways, and no page is wider than the window."""

import io

import pytest
from django.core.management import call_command

from conference.models import Conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MEASURE = """() => {
  const table = document.querySelector('#result_list'), box = document.querySelector('.results');
  return {page: document.documentElement.scrollWidth, table: table ? table.scrollWidth : 0,
          box: box ? box.clientWidth : 0};
}"""


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("input[type=submit]")


def test_the_daily_screens_fit_1366_pixels(browser_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", force=True, stdout=io.StringIO())
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    conference = Conference.objects.get(region_id="420300")
    screens = {
        "health-441802": [
            "/admin/registry/registration/",
            "/admin/filing/filing/",
            "/admin/registry/institution/",
            "/admin/inspections/inspection/",
            "/admin/inspections/rectification/",
            "/admin/inspections/complaint/",
            "/admin/inspections/creditrecord/",
        ],
        "fire-441802": [
            "/admin/inspections/inspection/",
            "/admin/inspections/inspectionplan/",
            "/admin/inspections/rectification/",
        ],
        "health-441800": [
            "/admin/registry/registration/",
            "/admin/filing/filing/",
            "/admin/registry/institution/",
        ],
        "office-420300": [
            f"/admin/conference/conference/{conference.pk}/change/",
            "/admin/conference/task/",
            "/admin/conference/roleassignment/",
        ],
    }
    too_wide = []
    for username, urls in screens.items():
        sign_in(page, username)
        for url in urls:
            page.goto(page.base_url + url)
            size = page.evaluate(MEASURE)
            if size["page"] > 1366 or size["table"] > size["box"] + 1:
                too_wide.append((username, url, size))
    assert not too_wide
