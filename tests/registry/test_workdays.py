"""Working days follow the State Council's holiday notices: holidays are not counted, weekend days worked
instead (调休) are; the table is preset from the chinesecalendar package and completed in the admin."""

import datetime
import io

import pytest
from django.core.management import call_command

from registry.models import CalendarDay
from registry.roles import Role
from registry.services import roles_sync
from registry.workdays import forget_calendar, working_calendar, working_days_between
from tests.factories import AuthorityFactory, StaffFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_national_day_2026_is_skipped_and_its_saturday_worked():
    # 1–7 October 2026 are holidays; Saturday 10 October is worked instead.
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2  # the 8th and the 9th
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_calendar().add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert not working_calendar().is_working_day(D(2026, 10, 5))  # a Monday, but a holiday
    assert working_calendar().is_working_day(D(2026, 9, 20))  # a Sunday worked instead


def test_a_year_the_package_does_not_know_is_entered_in_the_admin(client, regions):
    assert not working_calendar().knows(2027)
    assert working_days_between(D(2026, 12, 31), D(2027, 1, 1)) == 1  # a Friday, nothing known yet
    admin = StaffFactory(is_superuser=True, authority=AuthorityFactory(region=regions["441802"]))
    client.force_login(admin)
    listing = client.get("/admin/registry/calendarday/").content.decode()
    assert "2027" in listing and "尚未录入" in listing  # warned: next year is missing (in December)
    client.post("/admin/registry/calendarday/add/", {"day": "2027-01-01", "kind": "holiday", "name": "元旦"})
    day = CalendarDay.objects.get(day=D(2027, 1, 1))
    assert day.source == "bureau"
    forget_calendar()
    assert working_days_between(D(2026, 12, 31), D(2027, 1, 1)) == 0


def test_loading_the_package_again_keeps_what_the_bureau_entered():
    CalendarDay.objects.filter(day=D(2026, 10, 1)).update(name="国庆节（本地说明）", source="bureau")
    CalendarDay.objects.filter(day=D(2026, 10, 2)).delete()
    call_command("load_calendar", stdout=io.StringIO())
    assert CalendarDay.objects.get(day=D(2026, 10, 1)).name == "国庆节（本地说明）"
    assert CalendarDay.objects.get(day=D(2026, 10, 2)).source == "package"


def test_county_staff_read_the_calendar_but_do_not_edit_it(client, regions):
    roles_sync()
    clerk = StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH)
    client.force_login(clerk)
    assert client.get("/admin/registry/calendarday/").status_code == 200
    assert client.get("/admin/registry/calendarday/add/").status_code == 403
