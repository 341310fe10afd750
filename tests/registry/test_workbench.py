"""The workbench on the admin home: each count equals the rows of the list it links to, for a county, a city
and a province user, and the page costs the same number of queries whatever the jurisdiction holds."""

import re

import pytest
from django.core.management import call_command

from filing.services.directory import directory_rebuild
from registry.models import Authority, User
from registry.roles import Role
from registry.services import staff_user_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    directory_rebuild()
    province = staff_user_ensure(
        username="health-440000",
        authority=Authority.objects.get_or_create(
            kind=Authority.Kind.HEALTH, region_id="440000", defaults={"name": "广东省卫生健康委员会"}
        )[0],
        role=Role.SUPERVISING_HEALTH,
    )[0]
    return {
        "county": User.objects.get(username="health-441802"),
        "city": User.objects.get(username="health-441800"),
        "province": province,
    }


@pytest.mark.parametrize("who", ["county", "city", "province"])
def test_every_count_equals_the_list_it_links_to(client, demo, who):
    client.force_login(demo[who])
    tasks = client.get("/admin/").context["tasks"]
    assert tasks, "the workbench shows the person's tasks"
    for task in tasks:
        listing = client.get(task["url"])
        assert listing.status_code == 200, task
        assert listing.context["cl"].result_count == task["count"], task["label"]


def test_the_county_sees_what_needs_doing_and_the_charts(client, demo):
    client.force_login(demo["county"])
    page = client.get("/admin/")
    counts = {str(t["label"]): t["count"] for t in page.context["tasks"]}
    assert counts["待处理的评估申诉"] == 1 and counts["逾期未整改"] >= 1
    assert {str(c["label"]) for c in page.context["charts"]} >= {"推送登记", "予以备案"}
    assert re.search(r"<svg[^>]*role=\"img\"", page.text)


def test_the_workbench_costs_the_same_queries_for_a_city_and_a_province(
    client, demo, django_assert_max_num_queries
):
    client.force_login(demo["city"])
    client.get("/admin/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as city:
        client.get("/admin/")
    client.force_login(demo["province"])
    client.get("/admin/")
    with CaptureQueriesContext(connection) as province:
        client.get("/admin/")
    assert len(province.captured_queries) <= len(city.captured_queries) + 3  # 3 counties or 120, the same


def test_a_city_sees_each_count_per_county_and_each_equals_its_list(client, demo):
    client.force_login(demo["city"])
    page = client.get("/admin/")
    table = page.context["table"]
    assert table is not None and len(table["rows"]) >= 2
    assert {county.pk for county, _cells in table["rows"]} >= {"441802", "441803"}
    seen = 0
    for _county, cells in table["rows"]:
        for n, url in cells:
            listing = client.get(url)
            assert listing.context["cl"].result_count == n, url
            seen += n
    assert seen > 0
    client.force_login(demo["county"])
    assert client.get("/admin/").context["table"] is None  # one county: no table


def test_the_on_time_push_rate_is_the_share_pushed_in_the_month_of_registration(client, demo):
    from datetime import timedelta

    from django.utils import timezone

    from registry.models import Registration

    rows = Registration.objects.filter(institution__region_id="441802")
    assert rows.count() >= 4
    now = timezone.now()
    first, *rest = list(rows.order_by("pk"))
    rows.update(first_pushed_at=now, late=False)
    Registration.objects.filter(pk=first.pk).update(late=True)
    Registration.objects.exclude(institution__region_id="441802").update(
        first_pushed_at=now - timedelta(days=800)
    )
    client.force_login(demo["county"])
    page = client.get("/admin/")
    rate = next(c for c in page.context["charts"] if c["rate"])
    assert str(rate["label"]) == "准时推送率"
    expected = round(100 * len(rest) / (len(rest) + 1))
    assert rate["total"] == expected
    this_month = rate["bars"][-1]
    assert this_month["value"] == expected and this_month["text"] == str(expected)
    assert all(bar["value"] is None for bar in rate["bars"][:-1])  # months with nothing pushed: no bar
    assert f"{expected}% over 12 months" not in page.text and f"近 12 个月 {expected}%" in page.text


def test_a_platform_administrator_picks_a_province_for_the_county_table(client, demo, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/")
    assert page.context["table"] is None
    assert "440000" in {p.pk for p in page.context["provinces"]}
    page = client.get("/admin/?region=440000")
    table = page.context["table"]
    from registry.models import Region

    in_province = Region.objects.filter(pk__startswith="44", county_level=True).count()
    assert "441802" in {county.pk for county, _cells in table["rows"]}
    assert all(county.pk.startswith("44") for county, _cells in table["rows"])
    assert all(any(n for n, _url in cells) for _county, cells in table["rows"])  # the busy ones only
    assert len(table["rows"]) + table["quiet"] == in_province > 20
    assert f"{table['quiet']} 个无待办的区县未列出" in page.text
    for _county, cells in table["rows"]:
        for n, url in cells:
            if n:
                assert client.get(url).context["cl"].result_count == n, url
    assert client.get("/admin/?region=441802").context["table"] is None  # only a province may be picked
    client.force_login(demo["city"])
    assert client.get("/admin/").context["provinces"] == []
