"""东莞, 中山, 儋州 and 嘉峪关 have no counties: registrations there name the city's code, which acts as the
county for scoping, the bureau's queue and the monthly reports."""

import pytest
from django.utils import timezone

from filing.models import MonthlyReport
from filing.services.monthly_push import month_start, monthly_push
from registry.models import Authority, Region, Registration
from registry.roles import Role
from registry.services import api_client_create, registration_push, roles_sync
from registry.services.regions import RegionRow, regions_load
from tests.factories import AuthorityFactory, StaffFactory, make_uscc

pytestmark = pytest.mark.django_db


def record(code, name):
    return {
        "uscc": make_uscc(code),
        "name": name,
        "route": "enterprise",
        "region_code": code,
        "address": "东城街道某路1号",
        "legal_representative": "张三",
        "registered_on": timezone.localdate(),
        "business_scope": "托育服务",
        "service_types": ["full_day"],
        "employer_run": False,
        "status": "active",
        "cancelled_on": None,
    }


def test_loading_the_division_tree_marks_cities_without_counties(regions):
    regions_load(rows=[RegionRow("442000", "中山市", "city", "440000")])
    assert Region.objects.get(pk="442000").county_level  # no county below it
    assert not Region.objects.get(pk="441800").county_level  # 清远 has counties
    regions_load(rows=[RegionRow("442001", "某区", "county", "442000")])
    assert not Region.objects.get(pk="442000").county_level  # once divided, it is a city like the others


def test_dongguan_registrations_are_pushed_with_the_citys_code_and_supervised_there(client, regions):
    roles_sync()
    body = api_client_create(
        authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441900"]), name="dg"
    )[0]
    outcome = registration_push(client=body, record=record("441900", "东莞市小海豚托育有限公司"))
    assert outcome.status == 201
    refused = registration_push(client=body, record=record("441800", "清远某托育有限公司"))
    assert refused.status == 400 and "region_code" in refused.errors  # 清远 has counties: not county-level

    clerk = StaffFactory(authority=AuthorityFactory(region=regions["441900"]), role=Role.COUNTY_HEALTH)
    client.force_login(clerk)
    listed = client.get("/admin/registry/registration/").content.decode()
    assert "东莞市小海豚托育有限公司" in listed
    neighbour = StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH)
    client.force_login(neighbour)
    assert "东莞市小海豚托育有限公司" not in client.get("/admin/registry/registration/").content.decode()

    month = month_start(timezone.localdate())
    monthly_push(month=month)
    report = MonthlyReport.objects.get(region_id="441900", month=month)
    assert report.level == "county" and report.counts["registrations"] == 1
    province = MonthlyReport.objects.get(region_id="440000", month=month)
    assert [row["registrations"] for row in province.rows["counties"] if row["code"] == "441900"] == [1]
    assert Registration.objects.get(name="东莞市小海豚托育有限公司").region_id == "441900"
