"""Roles over time: a change of liaison keeps who held the role when."""

import datetime

import pytest

from conference.models import ConferenceRole, RoleAssignment
from conference.selectors import holders, visible_conferences
from conference.services import ConferenceError, role_assign
from registry.roles import Role
from tests.factories import StaffFactory

from .conftest import START, K

pytestmark = pytest.mark.django_db


def test_a_new_liaison_ends_the_old_term_and_both_stay_on_record(shiyan):
    unit = shiyan.units[K.EDUCATION]
    old = shiyan.liaison[K.EDUCATION]
    new = StaffFactory(authority=unit.authority, role=Role.CONFERENCE_LIAISON, username="new-liaison")
    change = datetime.date(2025, 6, 1)

    role_assign(
        conference=shiyan.conference, role=ConferenceRole.LIAISON, user=new, unit=unit, starts_on=change
    )

    terms = list(RoleAssignment.objects.filter(unit=unit, role=ConferenceRole.LIAISON).order_by("starts_on"))
    assert [(t.user, t.starts_on, t.ends_on) for t in terms] == [
        (old, START, datetime.date(2025, 5, 31)),
        (new, change, None),
    ]
    on = lambda day: list(holders(shiyan.conference, ConferenceRole.LIAISON, unit=unit, on=day))  # noqa: E731
    assert on(datetime.date(2025, 5, 31)) == [old]
    assert on(change) == [new]
    assert on(datetime.date(2023, 12, 31)) == []
    # the end of the old term is in its history, with the state before it
    assert [h.ends_on for h in terms[0].history.order_by("history_id")] == [None, datetime.date(2025, 5, 31)]
    # other units' liaisons are untouched
    assert list(holders(shiyan.conference, ConferenceRole.LIAISON, unit=shiyan.units[K.FINANCE])) == [
        shiyan.liaison[K.FINANCE]
    ]


def test_deputies_serve_together_and_unit_roles_need_a_unit(shiyan):
    first = StaffFactory(authority=shiyan.conference.organiser, username="deputy-1")
    second = StaffFactory(authority=shiyan.conference.organiser, username="deputy-2")
    for user in (first, second):
        role_assign(
            conference=shiyan.conference, role=ConferenceRole.DEPUTY_CONVENOR, user=user, starts_on=START
        )
    assert set(holders(shiyan.conference, ConferenceRole.DEPUTY_CONVENOR)) == {first, second}

    with pytest.raises(ConferenceError):
        role_assign(conference=shiyan.conference, role=ConferenceRole.LIAISON, user=first, starts_on=START)


def test_an_appointment_cannot_start_before_a_later_term(shiyan):
    unit = shiyan.units[K.EDUCATION]
    later = StaffFactory(authority=unit.authority, username="later")
    role_assign(
        conference=shiyan.conference,
        role=ConferenceRole.LIAISON,
        user=later,
        unit=unit,
        starts_on=datetime.date(2025, 1, 1),
    )
    earlier = StaffFactory(authority=unit.authority, username="earlier")
    with pytest.raises(ConferenceError):
        role_assign(
            conference=shiyan.conference,
            role=ConferenceRole.LIAISON,
            user=earlier,
            unit=unit,
            starts_on=datetime.date(2024, 6, 1),
        )


def test_a_member_unit_from_another_region_sees_the_conference(regions, shiyan, qingyuan):
    from conference.models import MemberUnit
    from tests.factories import AuthorityFactory

    outside = AuthorityFactory(kind=K.FIRE, region=regions["441802"], name="清城区消防救援大队")
    MemberUnit.objects.create(conference=shiyan.conference, authority=outside, short_name="消防")
    staff = StaffFactory(authority=outside, role=Role.CONFERENCE_LIAISON, username="fire-441802")
    # Jurisdiction gives the county nothing of Shiyan's; membership does, and only Shiyan's.
    assert set(visible_conferences(staff)) == {shiyan.conference}
    assert set(visible_conferences(shiyan.liaison[K.EDUCATION])) == {shiyan.conference}
    assert set(visible_conferences(qingyuan.office)) == {qingyuan.conference}
