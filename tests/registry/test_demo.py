"""`load_demo` and `load_regions`: safe to run again, demo users that work, and no known password on a
server that is not in DEBUG unless someone insists."""

import datetime
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from filing.models import Filing
from filing.selectors import days_waiting
from registry.models import Authority, Institution, Region, User
from registry.selectors import visible_institutions

pytestmark = pytest.mark.django_db

DEMO_USERS = ("health-441802", "health-441800", "operator-demo", "office-420300")


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    """Rows of every table, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_load_demo_twice_adds_and_changes_nothing(debug):
    load_demo()
    first = row_counts()
    stamps = dict(Institution.objects.values_list("uscc", "updated_at"))
    passwords = dict(User.objects.values_list("username", "password"))

    load_demo()

    assert row_counts() == first
    assert dict(Institution.objects.values_list("uscc", "updated_at")) == stamps  # nothing re-saved
    assert dict(User.objects.values_list("username", "password")) == passwords
    # and the first run did load something
    for model in (Region, Authority, Institution, User, Group):
        assert first[model._meta.label] > 0, model
    for model in (Institution, Authority, User):
        assert first[model.history.model._meta.label] > 0, model


def test_demo_users_sign_in_with_the_demo_password_and_see_their_jurisdiction(client, debug):
    load_demo()
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
        assert user.is_active
    assert User.objects.get(username="health-441802").is_staff
    assert not User.objects.get(username="operator-demo").is_staff

    def seen(username):
        return set(visible_institutions(User.objects.get(username=username)).values_list("uscc", flat=True))

    def of(**lookup):
        return set(Institution.objects.filter(**lookup).values_list("uscc", flat=True))

    county = seen("health-441802")
    assert county == of(region_id="441802")
    assert len(county) > 1

    city = seen("health-441800")
    assert city == of(region__parent_id="441800")
    assert of(region_id="441802") | of(region_id="441803") <= city
    assert of(region_id="441803")  # the neighbour county has an institution for the city to see
    assert Institution.objects.exclude(uscc__in=city).exists()  # other places' institutions stay out

    operator = seen("operator-demo")
    assert len(operator) == 1
    assert operator <= county

    # the county reviewer works in the admin with that password and sees their county there too
    assert client.post("/admin/login/", {"username": "health-441802", "password": "demo"}).status_code == 302
    response = client.get("/admin/registry/institution/")
    assert response.status_code == 200
    assert {institution.uscc for institution in response.context["cl"].result_list} == county


def test_without_debug_load_demo_refuses_and_creates_no_user(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        load_demo()
    assert not User.objects.filter(username__in=DEMO_USERS).exists()
    assert not Institution.objects.exists()


def test_without_debug_force_loads_the_demo(settings):
    settings.DEBUG = False
    load_demo("--force")
    assert set(User.objects.filter(username__in=DEMO_USERS).values_list("username", flat=True)) == set(
        DEMO_USERS
    )


def test_load_regions_loads_the_national_tree_once(db):
    call_command("load_regions", stdout=io.StringIO())
    total = Region.objects.count()
    assert total > 3000
    assert Region.objects.get(pk="441802").parent_id == "441800"
    assert Region.objects.get(pk="441800").parent_id == "440000"
    beijing_district = Region.objects.get(pk="110101")
    assert beijing_district.parent_id == "110000"
    assert beijing_district.level == Region.Level.COUNTY
    assert Region.objects.get(pk="110000").level == Region.Level.PROVINCE
    # every parent is one level up
    assert not Region.objects.filter(level=Region.Level.CITY).exclude(parent__level="province").exists()
    assert not Region.objects.filter(level=Region.Level.PROVINCE, parent__isnull=False).exists()

    before = dict(Region.objects.values_list("code", "name"))
    call_command("load_regions", stdout=io.StringIO())
    assert Region.objects.count() == total
    assert dict(Region.objects.values_list("code", "name")) == before


def test_the_readme_says_which_months_the_demo_registrations_fall_in(settings):
    """load_demo names the months; they are the current month and the two before it, as the README says."""
    settings.DEBUG = True
    out = load_demo()
    line = next(line for line in out.splitlines() if "registrations fall in" in line)
    named = line.split("fall in ")[1].split(";")[0].split(", ")
    this_month = timezone.localdate().replace(day=1)
    before = (this_month - datetime.timedelta(days=1)).replace(day=1)
    before_that = (before - datetime.timedelta(days=1)).replace(day=1)
    assert set(named) <= {f"{m:%Y-%m}" for m in (this_month, before, before_that)}
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "the current month and the two before it" in " ".join(readme.split())


def test_the_demo_review_clock_skips_national_day(settings):
    """The demo filing in 临海 was submitted the day before National Day: its clock leaves the holiday out."""
    settings.DEBUG = True
    load_demo()
    filing = Filing.objects.get(institution__region_id="331082", status="submitted")
    submitted = timezone.localdate(filing.submitted_at)
    assert (submitted.month, submitted.day) == (9, 30)
    today = timezone.localdate()
    weekdays = sum(
        (submitted + datetime.timedelta(days=n)).weekday() < 5 for n in range(1, (today - submitted).days + 1)
    )
    holiday_weekdays = sum(
        datetime.date(submitted.year, 10, day).weekday() < 5 for day in range(1, 8)
    )  # 1–7 October
    assert days_waiting(filing) < weekdays  # the holiday is not counted
    assert days_waiting(filing) >= weekdays - holiday_weekdays


def test_the_public_directory_holds_the_filed_demo_institutions_with_their_public_results(
    client, debug, django_capture_on_commit_callbacks
):
    from filing.models import DirectoryEntry

    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    entries = {e.uscc[:17]: e for e in DirectoryEntry.objects.all()}
    filed = set(Institution.objects.filter(filing_status="filed").values_list("uscc", flat=True))
    assert {e.uscc for e in entries.values()} == filed
    hospital = entries["12441802MBTY00004"]
    assert hospital.quality_grade == "良好" and hospital.latest_inspection["outcome"] == "passed"
    assert entries["92441802MATY00014"].kind == "home_point"
    assert entries["92441802MATY00014"].quality_grade == "不合格"  # published, under appeal
    assert entries["91441802MATY00006"].quality_grade == ""  # scored, not published
    page = client.get("/public/", {"grade": "良好"})
    assert [e.uscc for e in page.context["page"]] == [hospital.uscc]
