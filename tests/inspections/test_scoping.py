"""Each department sees and writes only its own jurisdiction and records; health sees every department's;
operators see their own institution's, never another's."""

import pytest
from django.urls import reverse

from inspections.models import FindingPhoto, Inspection, Rectification
from inspections.services import findings_save
from registry.selectors import visible

from .conftest import K, inspect, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    fire = inspect(world.fire, world.sun, K.FIRE, failing={"F01"}, record=False)
    findings_save(
        inspection=fire,
        marks={},
        photos={fire.findings.get(code="F01").pk: [png()]},
        acting_user=world.fire[0],
    )
    from inspections.services import inspection_record

    inspection_record(inspection=fire, outcome="rectify", acting_user=world.fire[0])
    market = inspect(world.market, world.sun, K.MARKET_REGULATION, failing={"M05"})
    elsewhere = inspect(world.fire_elsewhere, world.star, K.FIRE)
    return {"fire": fire, "market": market, "elsewhere": elsewhere}


def seen(user, model=Inspection):
    return set(visible(model.objects.all(), user, action="view").values_list("pk", flat=True))


def test_each_department_sees_its_own_records_in_its_jurisdiction(world, records):
    fire, market, elsewhere = records["fire"].pk, records["market"].pk, records["elsewhere"].pk
    assert seen(world.fire[2]) == {fire}
    assert seen(world.market[0]) == {market}
    assert seen(world.fire_elsewhere[0]) == {elsewhere}
    assert seen(world.health[0]) == {fire, market}
    assert seen(world.city_health) == {fire, market, elsewhere}
    assert seen(world.sun_operator) == {fire, market}
    assert seen(world.moon_operator) == set()
    assert {r.inspection_id for r in visible(Rectification.objects.all(), world.market[0])} == {market}


def test_admin_lists_follow_the_same_rule(client, world, records):
    client.force_login(world.market[0])
    page = client.get(reverse("admin:inspections_inspection_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [records["market"]]
    assert client.get(
        reverse("admin:inspections_inspection_change", args=[records["fire"].pk])
    ).status_code in (
        302,
        404,
    )
    client.force_login(world.fire[0])
    page = client.get(reverse("admin:inspections_rectification_changelist"))
    assert [r.inspection_id for r in page.context["cl"].result_list] == [records["fire"].pk]


def test_photos_reach_only_those_who_see_the_inspection(client, world, records):
    photo = FindingPhoto.objects.get()
    url = reverse("field:photo", args=[photo.pk])
    for user, status in (
        (world.fire[1], 200),
        (world.health[0], 200),
        (world.sun_operator, 200),
        (world.market[0], 404),
        (world.fire_elsewhere[0], 404),
        (world.moon_operator, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response["X-Content-Type-Options"] == "nosniff"
            b"".join(response.streaming_content)


def test_on_site_pages_are_for_the_inspecting_body_only(client, world, records):
    url = reverse("field:inspection", args=[records["fire"].pk])
    client.force_login(world.market[0])
    assert client.get(url).status_code == 404
    client.force_login(world.sun_operator)
    assert client.get(url).status_code == 302  # not staff: to the admin sign-in
    client.force_login(world.fire[2])
    assert client.get(url).status_code == 200
    client.force_login(world.health[0])
    assert client.get(reverse("field:worklist")).status_code == 200  # health inspects too


def test_an_operator_sees_only_their_own_institutions_page(client, world, records):
    client.force_login(world.moon_operator)
    assert client.get(reverse("supervision:institution", args=[world.sun.pk])).status_code == 404
    client.force_login(world.sun_operator)
    page = client.get(reverse("supervision:institution", args=[world.sun.pk]))
    assert page.status_code == 200
    assert len(page.context["rectifications"]) == 2


def test_the_inspection_list_costs_the_same_for_many_rows(client, world, assert_max_queries):
    client.force_login(world.health[0])
    url = reverse("admin:inspections_inspection_changelist")
    inspect(world.fire, world.sun, K.FIRE)
    client.get(url)
    with assert_max_queries(14) as few:
        client.get(url)
    for _n in range(6):
        inspect(world.fire, world.moon, K.FIRE)
        inspect(world.market, world.sun, K.MARKET_REGULATION)
    with assert_max_queries(len(few.captured_queries)):
        assert len(client.get(url).context["cl"].result_list) == 13
