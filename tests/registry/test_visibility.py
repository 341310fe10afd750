"""One rule decides what anyone sees: county staff their county, city staff their counties, province staff
their cities, operators their institutions."""

import pytest
from django.contrib.auth.models import AnonymousUser

from registry.models import Authority, PushRoute
from registry.selectors import allowed_routes, visible_institutions
from registry.services import operator_grant, operator_revoke
from tests.factories import AuthorityFactory, InstitutionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def institutions(regions):
    return {
        code: InstitutionFactory(region=regions[code]) for code in ("441802", "441803", "445302", "420302")
    }


def staff_of(regions, code):
    return StaffFactory(authority=AuthorityFactory(region=regions[code]))


def seen(user):
    return set(visible_institutions(user).values_list("region_id", flat=True))


def test_county_staff_see_only_their_county(regions, institutions):
    assert seen(staff_of(regions, "441802")) == {"441802"}


def test_city_staff_see_every_county_of_their_city_and_no_other_city(regions, institutions):
    assert seen(staff_of(regions, "441800")) == {"441802", "441803"}


def test_province_staff_see_their_cities_and_not_another_province(regions, institutions):
    assert seen(staff_of(regions, "440000")) == {"441802", "441803", "445302"}
    assert seen(staff_of(regions, "420000")) == {"420302"}


def test_operators_see_exactly_what_they_were_granted(institutions):
    operator = UserFactory()
    assert seen(operator) == set()
    operator_grant(user=operator, institution=institutions["441803"])
    assert list(visible_institutions(operator)) == [institutions["441803"]]
    operator_revoke(user=operator, institution=institutions["441803"])
    assert seen(operator) == set()


def test_superusers_see_all_and_the_inactive_anonymous_and_unattached_see_nothing(regions, institutions):
    assert seen(UserFactory(is_superuser=True)) == {"441802", "441803", "445302", "420302"}
    inactive = staff_of(regions, "440000")
    inactive.is_active = False
    assert seen(inactive) == set()
    assert seen(AnonymousUser()) == set()
    assert seen(UserFactory(is_staff=True)) == set()


def authority(regions, kind, code):
    return AuthorityFactory(kind=kind, region=regions[code])


def test_national_push_routes(regions):
    K = Authority.Kind
    expected = {
        K.ESTABLISHMENT: {"public_institution"},
        K.CIVIL_AFFAIRS: {"social_service"},
        K.MARKET_REGULATION: {"enterprise"},
        K.ADMIN_APPROVAL: {"social_service", "enterprise"},
        K.EDUCATION: {"kindergarten"},
        K.HEALTH: set(),
    }
    for kind, routes in expected.items():
        assert allowed_routes(authority(regions, kind, "441802")) == routes, kind


def test_regional_rules_override_the_national_one_there_and_below_only(regions):
    K = Authority.Kind
    PushRoute.objects.create(
        region=regions["441800"], authority_kind=K.MARKET_REGULATION, route="enterprise", allowed=False
    )
    assert allowed_routes(authority(regions, K.MARKET_REGULATION, "441802")) == set()
    assert allowed_routes(authority(regions, K.MARKET_REGULATION, "445302")) == {"enterprise"}
    # A county rule beats its city's.
    PushRoute.objects.create(region=regions["441802"], authority_kind=K.MARKET_REGULATION, route="enterprise")
    assert allowed_routes(authority(regions, K.MARKET_REGULATION, "441802")) == {"enterprise"}
    assert allowed_routes(authority(regions, K.MARKET_REGULATION, "441803")) == set()
