"""Which registration body may push which route (`registry.selectors.allowed_routes`): the national rules
from the data migration, overridden per region where the most specific region's rule wins; and who may edit
those rules in the admin."""

import pytest
from django.utils import timezone

from registry.models import Authority, PushRoute
from registry.roles import Role
from registry.selectors import allowed_routes
from registry.services import api_client_create, registration_push, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, make_uscc

pytestmark = pytest.mark.django_db

K = Authority.Kind
ENTERPRISE = "enterprise"
NATIONAL = {
    K.ESTABLISHMENT: {"public_institution"},
    K.CIVIL_AFFAIRS: {"social_service"},
    K.MARKET_REGULATION: {"enterprise"},
    K.ADMIN_APPROVAL: {"social_service", "enterprise"},
    K.EDUCATION: {"kindergarten"},
    K.HEALTH: set(),
}


def routes(regions, kind, code):
    return allowed_routes(AuthorityFactory(kind=kind, region=regions[code]))


def rule(regions, code, kind=K.MARKET_REGULATION, route=ENTERPRISE, allowed=False):
    return PushRoute.objects.create(
        region=regions[code] if code else None, authority_kind=kind, route=route, allowed=allowed
    )


@pytest.mark.parametrize("code", ["441802", "441800", "440000", "420302"])
def test_the_national_rules_from_the_data_migration_apply_everywhere(regions, code):
    for kind, expected in NATIONAL.items():
        assert routes(regions, kind, code) == expected, kind


def test_the_migration_installs_exactly_the_national_rules(db):
    national = PushRoute.objects.filter(region__isnull=True)
    assert {(r.authority_kind, r.route, r.allowed) for r in national} == {
        (kind, route, True) for kind, kinds_routes in NATIONAL.items() for route in kinds_routes
    }


def test_bodies_outside_the_registration_system_push_nothing(regions):
    for kind in (K.HEALTH, K.FIRE, K.PUBLIC_SECURITY, K.FINANCE, K.GOVERNMENT, K.OTHER):
        assert routes(regions, kind, "441802") == set(), kind


def test_a_county_rule_removes_a_route_in_that_county_only(regions):
    rule(regions, "441802")  # market regulation may not push enterprises in Qingcheng

    assert routes(regions, K.MARKET_REGULATION, "441802") == set()
    assert routes(regions, K.MARKET_REGULATION, "441803") == {ENTERPRISE}  # sibling county
    assert routes(regions, K.MARKET_REGULATION, "441800") == {ENTERPRISE}  # its city
    # other kinds in the same county keep their routes
    assert routes(regions, K.ADMIN_APPROVAL, "441802") == {"social_service", "enterprise"}


def test_a_city_rule_applies_to_every_county_of_the_city_and_no_further(regions):
    rule(regions, "441800")

    assert routes(regions, K.MARKET_REGULATION, "441800") == set()
    assert routes(regions, K.MARKET_REGULATION, "441802") == set()
    assert routes(regions, K.MARKET_REGULATION, "441803") == set()
    assert routes(regions, K.MARKET_REGULATION, "445302") == {ENTERPRISE}  # another city, same province
    assert routes(regions, K.MARKET_REGULATION, "420302") == {ENTERPRISE}


def test_a_county_rule_allowing_beats_its_citys_rule_forbidding(regions):
    rule(regions, "441800", allowed=False)
    rule(regions, "441802", allowed=True)

    assert routes(regions, K.MARKET_REGULATION, "441802") == {ENTERPRISE}
    assert routes(regions, K.MARKET_REGULATION, "441803") == set()


def test_a_county_rule_forbidding_beats_its_citys_rule_allowing(regions):
    rule(regions, "441800", kind=K.CIVIL_AFFAIRS, route=ENTERPRISE, allowed=True)
    rule(regions, "441803", kind=K.CIVIL_AFFAIRS, route=ENTERPRISE, allowed=False)

    assert routes(regions, K.CIVIL_AFFAIRS, "441802") == {"social_service", ENTERPRISE}
    assert routes(regions, K.CIVIL_AFFAIRS, "441803") == {"social_service"}


def test_a_province_rule_applies_below_it_and_a_city_rule_beats_it(regions):
    rule(regions, "440000")
    rule(regions, "445300", allowed=True)

    assert routes(regions, K.MARKET_REGULATION, "441802") == set()
    assert routes(regions, K.MARKET_REGULATION, "445302") == {ENTERPRISE}
    assert routes(regions, K.MARKET_REGULATION, "420302") == {ENTERPRISE}  # another province


def test_a_region_may_add_a_route_the_national_rules_do_not_have(regions):
    """Centralised licensing: a place lets one body register what elsewhere another body does."""
    rule(regions, "420300", kind=K.CIVIL_AFFAIRS, route=ENTERPRISE, allowed=True)

    assert routes(regions, K.CIVIL_AFFAIRS, "420302") == {"social_service", ENTERPRISE}
    assert routes(regions, K.CIVIL_AFFAIRS, "441802") == {"social_service"}


def test_changing_a_national_rule_changes_it_everywhere_without_an_override(regions):
    PushRoute.objects.filter(region__isnull=True, authority_kind=K.EDUCATION).update(allowed=False)
    rule(regions, "441802", kind=K.EDUCATION, route="kindergarten", allowed=True)

    assert routes(regions, K.EDUCATION, "441803") == set()
    assert routes(regions, K.EDUCATION, "441802") == {"kindergarten"}


def record(county, **overrides):
    return {
        "uscc": make_uscc(county),
        "name": f"{county}托育有限公司",
        "route": ENTERPRISE,
        "region_code": county,
        "address": "某路1号",
        "legal_representative": "张三",
        "registered_on": timezone.localdate(),
        "business_scope": "3岁以下婴幼儿照护服务",
        "service_types": ["full_day"],
        "employer_run": False,
        "status": "active",
        "cancelled_on": None,
        **overrides,
    }


def test_a_push_forbidden_by_a_regional_rule_is_refused_there_and_accepted_next_door(regions):
    rule(regions, "441802")
    pushers = {
        code: api_client_create(
            authority=AuthorityFactory(kind=K.MARKET_REGULATION, region=regions[code]), name=code
        )[0]
        for code in ("441802", "441803")
    }

    refused = registration_push(client=pushers["441802"], record=record("441802"))
    assert refused.status == 403
    assert [e["code"] for e in refused.errors["route"]] == ["route_forbidden"]

    accepted = registration_push(client=pushers["441803"], record=record("441803"))
    assert (accepted.status, accepted.result) == (201, "created")


# --- editing the rules in the admin -------------------------------------------------------------------

ADMIN = "/admin/registry/pushroute/"


@pytest.fixture
def city_staff(regions):
    """Qingyuan city health staff: the role that may add and change regional rules."""
    roles_sync()
    return StaffFactory(authority=AuthorityFactory(region=regions["441800"]), role=Role.SUPERVISING_HEALTH)


def test_staff_list_the_national_rules_and_their_jurisdictions_rules_only(client, regions, city_staff):
    own = rule(regions, "441802")
    elsewhere = rule(regions, "420302")
    client.force_login(city_staff)

    response = client.get(ADMIN)
    assert response.status_code == 200
    listed = {r.pk for r in response.context["cl"].result_list}
    assert own.pk in listed
    assert elsewhere.pk not in listed
    assert set(PushRoute.objects.filter(region__isnull=True).values_list("pk", flat=True)) <= listed


def test_city_staff_add_a_rule_for_one_of_their_counties(client, regions, city_staff):
    client.force_login(city_staff)
    response = client.post(
        f"{ADMIN}add/",
        {"region": "441802", "authority_kind": K.MARKET_REGULATION, "route": ENTERPRISE, "_save": "Save"},
    )
    assert response.status_code == 302
    assert routes(regions, K.MARKET_REGULATION, "441802") == set()  # allowed left unticked
    added = PushRoute.objects.get(region="441802")
    assert added.history.latest().history_user == city_staff


def test_only_superusers_change_a_national_rule(client, city_staff):
    national = PushRoute.objects.get(region__isnull=True, authority_kind=K.MARKET_REGULATION)
    client.force_login(city_staff)
    response = client.post(
        f"{ADMIN}{national.pk}/change/",
        {"region": "", "authority_kind": K.MARKET_REGULATION, "route": ENTERPRISE, "_save": "Save"},
    )
    assert response.status_code == 403
    national.refresh_from_db()
    assert national.allowed is True


def test_county_staff_read_the_rules_but_do_not_edit_them(client, regions):
    roles_sync()
    county = StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH)
    client.force_login(county)
    assert client.get(ADMIN).status_code == 200
    response = client.post(
        f"{ADMIN}add/",
        {"region": "441802", "authority_kind": K.MARKET_REGULATION, "route": ENTERPRISE, "_save": "Save"},
    )
    assert response.status_code == 403
    assert not PushRoute.objects.filter(region__isnull=False).exists()


def test_city_staff_cannot_add_a_national_rule(client, regions, city_staff):
    client.force_login(city_staff)
    client.post(
        f"{ADMIN}add/",
        {"region": "", "authority_kind": K.HEALTH, "route": ENTERPRISE, "allowed": "on", "_save": "Save"},
    )
    assert routes(regions, K.HEALTH, "420302") == set()


def test_city_staff_cannot_add_a_rule_outside_their_jurisdiction(client, regions, city_staff):
    client.force_login(city_staff)
    client.post(
        f"{ADMIN}add/",
        {"region": "420302", "authority_kind": K.MARKET_REGULATION, "route": ENTERPRISE, "_save": "Save"},
    )
    assert routes(regions, K.MARKET_REGULATION, "420302") == {ENTERPRISE}


def test_city_staff_cannot_turn_their_rule_into_a_national_one(client, regions, city_staff):
    own = rule(regions, "441802", kind=K.HEALTH, allowed=True)
    client.force_login(city_staff)
    client.post(
        f"{ADMIN}{own.pk}/change/",
        {"region": "", "authority_kind": K.HEALTH, "route": ENTERPRISE, "allowed": "on", "_save": "Save"},
    )
    assert routes(regions, K.HEALTH, "420302") == set()
