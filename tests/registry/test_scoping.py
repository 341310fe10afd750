"""The one scoping rule (`registry.selectors.visible`): county staff see their county, city staff the
counties of their city, province staff the cities of their province, operators the institutions granted to
them, superusers everything, and nobody else anything."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from registry.models import Authority, Institution, Registration
from registry.selectors import visible, visible_authorities, visible_institutions, visible_regions
from registry.services import operator_grant, operator_revoke
from tests.factories import AuthorityFactory, InstitutionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Counties of the region_tree fixture: two in Qingyuan (441800), one in Yunfu (445300), both cities of
# Guangdong (440000); one in Shiyan (420300), Hubei (420000).
COUNTIES = ("441802", "441803", "445302", "420302")


@pytest.fixture
def institutions(regions):
    """Two institutions per county, so 'only theirs' is not the same as 'the first row'."""
    return {code: [InstitutionFactory(region=regions[code]) for _ in range(2)] for code in COUNTIES}


def staff_of(regions, code, **extra):
    return StaffFactory(authority=AuthorityFactory(region=regions[code]), **extra)


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def of(institutions, *codes):
    return {i.pk for code in codes for i in institutions[code]}


def test_county_staff_see_only_their_own_county(regions, institutions):
    qingcheng = staff_of(regions, "441802")
    assert pks(visible_institutions(qingcheng)) == of(institutions, "441802")

    qingxin = staff_of(regions, "441803")
    assert pks(visible_institutions(qingxin)) == of(institutions, "441803")


def test_city_staff_see_every_county_of_their_city_and_nothing_of_another_city(regions, institutions):
    qingyuan = staff_of(regions, "441800")
    assert pks(visible_institutions(qingyuan)) == of(institutions, "441802", "441803")

    yunfu = staff_of(regions, "445300")
    assert pks(visible_institutions(yunfu)) == of(institutions, "445302")


def test_province_staff_see_every_city_of_their_province_and_nothing_of_another_province(
    regions, institutions
):
    guangdong = staff_of(regions, "440000")
    assert pks(visible_institutions(guangdong)) == of(institutions, "441802", "441803", "445302")

    hubei = staff_of(regions, "420000")
    assert pks(visible_institutions(hubei)) == of(institutions, "420302")


def test_jurisdiction_follows_the_authority_region_whatever_its_kind(regions, institutions):
    """Jurisdiction is the authority's region; a county body of another kind sees the same county."""
    market = StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441803"])
    )
    assert pks(visible_institutions(market)) == of(institutions, "441803")


def test_scope_applies_to_regions_and_authorities_too(regions):
    health = {
        code: AuthorityFactory(region=regions[code]) for code in ("441800", "441802", "441803", "420302")
    }
    county = StaffFactory(authority=health["441802"])
    city = StaffFactory(authority=health["441800"])

    assert pks(visible_regions(county)) == {"441802"}
    assert pks(visible_regions(city)) == {"441800", "441802", "441803"}
    assert pks(visible_authorities(county)) == {health["441802"].pk}
    assert pks(visible_authorities(city)) == {health["441800"].pk, health["441802"].pk, health["441803"].pk}


def test_visible_narrows_an_already_filtered_queryset_and_never_widens_it(regions, institutions):
    filed = institutions["441802"][0]
    Institution.objects.filter(pk=filed.pk).update(filing_status=Institution.FilingStatus.FILED)
    Institution.objects.filter(pk=institutions["441803"][0].pk).update(
        filing_status=Institution.FilingStatus.FILED
    )
    county = staff_of(regions, "441802")

    only_filed = Institution.objects.filter(filing_status=Institution.FilingStatus.FILED)
    assert pks(visible(only_filed, county)) == {filed.pk}


def test_an_operator_sees_exactly_the_institutions_granted_and_nothing_after_revocation(institutions):
    operator = UserFactory()
    first, second = institutions["441802"][0], institutions["420302"][1]
    assert pks(visible_institutions(operator)) == set()

    operator_grant(user=operator, institution=first)
    assert pks(visible_institutions(operator)) == {first.pk}

    operator_grant(user=operator, institution=second)  # grants need not share a county
    assert pks(visible_institutions(operator)) == {first.pk, second.pk}

    operator_revoke(user=operator, institution=first)
    assert pks(visible_institutions(operator)) == {second.pk}

    operator_revoke(user=operator, institution=second)
    assert pks(visible_institutions(operator)) == set()


def test_one_operators_grant_shows_nothing_to_another_operator(institutions):
    granted, other = UserFactory(), UserFactory()
    operator_grant(user=granted, institution=institutions["441802"][0])
    assert pks(visible_institutions(other)) == set()


def test_granting_twice_is_harmless_and_one_revocation_ends_it(institutions):
    operator = UserFactory()
    institution = institutions["441803"][0]
    operator_grant(user=operator, institution=institution)
    operator_grant(user=operator, institution=institution)
    assert list(visible_institutions(operator)) == [institution]
    operator_revoke(user=operator, institution=institution)
    assert not visible_institutions(operator).exists()


def test_an_operator_sees_what_hangs_off_their_institution_but_no_region_or_authority(regions, institutions):
    """Registrations carry both a region and an institution: an operator reaches them through the grant."""
    pusher = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"])
    theirs, other = institutions["441802"]
    registrations = {
        institution.pk: Registration.objects.create(
            institution=institution,
            authority=pusher,
            route=institution.route,
            region=institution.region,
            name=institution.name,
            address="某路1号",
            legal_representative="张三",
            registered_on=datetime.date(2025, 3, 1),
            business_scope="托育服务",
            first_pushed_at=timezone.now(),
        )
        for institution in (theirs, other)
    }
    operator = UserFactory()
    operator_grant(user=operator, institution=theirs)

    assert pks(visible(Registration.objects.all(), operator)) == {registrations[theirs.pk].pk}
    assert pks(visible_regions(operator)) == set()
    assert pks(visible_authorities(operator)) == set()
    # and the county bureau sees both registrations of its county
    assert pks(visible(Registration.objects.all(), staff_of(regions, "441802"))) == {
        r.pk for r in registrations.values()
    }


def test_a_superuser_sees_everything(regions, institutions):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert pks(visible_institutions(admin)) == of(institutions, *COUNTIES)
    assert pks(visible_regions(admin)) == set(regions)


def test_inactive_people_see_nothing_even_with_an_authority_or_a_grant(regions, institutions):
    province = staff_of(regions, "440000", is_active=False)
    assert pks(visible_institutions(province)) == set()

    operator = UserFactory()
    operator_grant(user=operator, institution=institutions["441802"][0])
    operator.is_active = False
    operator.save()
    assert pks(visible_institutions(operator)) == set()

    root = UserFactory(is_superuser=True, is_active=False)
    assert pks(visible_institutions(root)) == set()


def test_anonymous_visitors_and_no_user_see_nothing(institutions):
    assert pks(visible_institutions(AnonymousUser())) == set()
    assert pks(visible_institutions(None)) == set()


def test_staff_without_an_authority_see_nothing(regions, institutions):
    assert pks(visible_institutions(UserFactory(is_staff=True))) == set()
    assert pks(visible_regions(UserFactory(is_staff=True))) == set()
    # and losing one's authority ends one's jurisdiction
    moved = staff_of(regions, "441802")
    moved.authority = None
    moved.save()
    assert pks(visible_institutions(moved)) == set()
