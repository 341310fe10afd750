"""factory_boy factories shared by every app's tests."""

import itertools

import factory
from django.contrib.auth.models import Group

from registry.models import Authority, Institution, Region, Route, User
from registry.roles import Role
from registry.services.regions import mark_county_level
from registry.uscc import uscc_with_check

_serial = itertools.count(1)


def make_uscc(region_code: str = "441802", prefix: str = "91") -> str:
    """A valid USCC for a region: the organisation code is a running number."""
    return uscc_with_check(f"{prefix}{region_code}{next(_serial):09d}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    # Six digits however many regions a session makes (the counter runs across every test).
    code = factory.Sequence(lambda n: f"{990000 + n % 10000}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = Region.Level.COUNTY


def region_tree():
    """Two provinces; in 广东 清远 with two counties, 云浮 with one, and 东莞, a city with no counties that
    is itself county-level; in 湖北 十堰 with one county. Returned by code."""
    rows = [
        ("440000", "广东省", "province", None),
        ("441800", "清远市", "city", "440000"),
        ("441802", "清城区", "county", "441800"),
        ("441803", "清新区", "county", "441800"),
        ("441900", "东莞市", "city", "440000"),
        ("445300", "云浮市", "city", "440000"),
        ("445302", "云城区", "county", "445300"),
        ("420000", "湖北省", "province", None),
        ("420300", "十堰市", "city", "420000"),
        ("420302", "茅箭区", "county", "420300"),
    ]
    regions = {}
    for code, name, level, parent in rows:
        regions[code] = RegionFactory(code=code, name=name, level=level, parent=regions.get(parent))
    mark_county_level()
    for region in regions.values():
        region.refresh_from_db(fields=["county_level"])
    return regions


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("kind", "region")

    kind = Authority.Kind.HEALTH
    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}{o.kind}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class StaffFactory(UserFactory):
    is_staff = True
    authority = factory.SubFactory(AuthorityFactory)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=extracted or Role.COUNTY_HEALTH)[0])


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    region = factory.SubFactory(RegionFactory)
    uscc = factory.LazyAttribute(lambda o: make_uscc(o.region.code))
    name = factory.Sequence(lambda n: f"测试托育机构{n}")
    route = Route.ENTERPRISE
