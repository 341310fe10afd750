"""Every admin list, queue, search and filter costs the same number of queries for 10 rows in one county
as for hundreds of rows in twenty, for a county, a city, a province user and a superuser: nothing on a
page is looked up per row or per county."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Authority, Region
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, RegionFactory, StaffFactory, UserFactory
from tests.scale import populate

LISTS = [
    "/admin/registry/institution/",
    "/admin/registry/institution/?filing_status=unfiled",
    "/admin/registry/institution/?q=托育服务有限",
    "/admin/registry/institution/?q=91441802000000001X",
    "/admin/registry/institution/?county=441800",
    "/admin/registry/registration/",
    "/admin/registry/registration/?late__exact=1",
    "/admin/registry/registration/?q=法人",
    "/admin/registry/registration/?registered_on__gte=2020-01-01",
    "/admin/registry/registration/?authority_kind=market_regulation",
    "/admin/registry/registrationconflict/",
    "/admin/filing/filing/",
    "/admin/filing/filing/?status__exact=submitted",
    "/admin/filing/filing/?overdue=yes",
    "/admin/filing/filing/?overdue=no",
    "/admin/filing/filing/?q=BA441802000000000001",
    "/admin/filing/filing/?county=441800",
    "/admin/filing/annualreport/",
    "/admin/filing/annualreport/?county=441800",
    "/admin/filing/termination/",
    "/admin/filing/termination/?status__exact=submitted",
    "/admin/filing/operatorsignup/",
    "/admin/filing/operatorsignup/?county=441800",
    "/admin/filing/operatorinvitation/",
    "/admin/filing/escalationstep/",
    "/admin/filing/escalationstep/?county=441800",
    "/admin/filing/monthlyreport/",
]
USERS = {
    "county": ("441802", Role.COUNTY_HEALTH),
    "city": ("441800", Role.SUPERVISING_HEALTH),
    "province": ("440000", Role.SUPERVISING_HEALTH),
    "superuser": None,
}


@pytest.fixture
def world(regions):
    roles_sync()
    extra = [
        RegionFactory(
            code=f"4418{n:02d}", name=f"测试县{n}", level=Region.Level.COUNTY, parent=regions["441800"]
        )
        for n in range(10, 29)
    ]
    pusher = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441800"])
    return {"counties": [regions["441802"], *extra], "pusher": pusher, "creator": UserFactory()}


def person(regions, who):
    if USERS[who] is None:
        return StaffFactory(is_superuser=True)
    code, role = USERS[who]
    return StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.HEALTH, region=regions[code]), role=role
    )


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("who", list(USERS))
def test_a_list_costs_the_same_queries_for_one_county_and_ten_rows_as_for_twenty_and_hundreds(
    client, regions, world, url, who
):
    client.force_login(person(regions, who))
    first, *others = world["counties"]
    populate([(first, 10)], 0, pusher=world["pusher"], creator=world["creator"])
    if client.get(url).status_code == 403:  # also fills per-process caches (content types, permissions)
        pytest.skip(f"{who} may not see this list")
    few = queries(client, url)
    populate([(first, 190), *[(c, 10) for c in others]], 0, pusher=world["pusher"], creator=world["creator"])
    many = queries(client, url)
    assert many == few, f"{who} {url}: {few} queries for 10 rows in one county, {many} for 390 in 20"
