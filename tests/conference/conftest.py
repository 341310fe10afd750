import datetime
from types import SimpleNamespace

import pytest
from django.db import connection

from conference import services
from conference.models import Conference, ConferenceRole, MemberUnit
from conference.services import bulletins, common, escalation
from registry.models import Authority
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, StaffFactory

K = Authority.Kind
START = datetime.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def sent(monkeypatch):
    """Every notice the conference hands to the notifications app, recorded. When the app's `notify`
    exists it is called too, so its rows can be checked."""
    calls = []
    real = common._notify
    try:
        from notifications.models import Notification
    except ImportError:
        real = None
    else:
        if Notification._meta.db_table not in connection.introspection.table_names():
            real = None  # the notifications app is still being built: record only

    def record(users, **kwargs):
        users = list(users)
        calls.append(SimpleNamespace(users=users, **kwargs))
        return real(users, **kwargs) if real else len(users)

    for module in (escalation, bulletins):  # the services that send notices, where they look `_notify` up
        monkeypatch.setattr(module, "_notify", record)
    return calls


def make_conference(regions, code="420300", kinds=(K.HEALTH, K.EDUCATION, K.FINANCE, K.CIVIL_AFFAIRS)):
    """A conference in `code` run by its health bureau, with a unit per kind, each with a liaison and a
    member, and an office director and a convenor. Returned as a namespace."""
    roles_sync()
    region = regions[code]
    health = AuthorityFactory(kind=K.HEALTH, region=region, name=f"{region.name}卫健委")
    conference = Conference.objects.create(
        region=region,
        organiser=health,
        name=f"{region.name}联席会议",
        established_on=datetime.date(2020, 1, 1),
    )
    ns = SimpleNamespace(conference=conference, units={}, liaison={}, member={})
    for position, kind in enumerate(kinds):
        authority = AuthorityFactory(kind=kind, region=region, name=f"{region.name}{kind}局")
        unit = MemberUnit.objects.create(
            conference=conference, authority=authority, short_name=f"市{kind}", position=position
        )
        ns.units[kind] = unit
        for role, store in ((ConferenceRole.LIAISON, ns.liaison), (ConferenceRole.MEMBER, ns.member)):
            user = StaffFactory(
                authority=authority, role=Role.CONFERENCE_LIAISON, username=f"{role}-{code}-{kind}"
            )
            services.role_assign(conference=conference, role=role, user=user, unit=unit, starts_on=START)
            store[kind] = user
    ns.director = StaffFactory(authority=health, role=Role.CONFERENCE_OFFICE, username=f"director-{code}")
    services.role_assign(
        conference=conference, role=ConferenceRole.OFFICE_DIRECTOR, user=ns.director, starts_on=START
    )
    ns.office = StaffFactory(authority=health, role=Role.CONFERENCE_OFFICE, username=f"office-{code}")
    government = AuthorityFactory(kind=K.GOVERNMENT, region=region, name=f"{region.name}人民政府")
    ns.convenor = StaffFactory(
        authority=government, role=Role.CONFERENCE_LIAISON, username=f"convenor-{code}"
    )
    services.role_assign(
        conference=conference, role=ConferenceRole.CONVENOR, user=ns.convenor, starts_on=START
    )
    return ns


@pytest.fixture
def shiyan(regions):
    return make_conference(regions, "420300")


@pytest.fixture
def qingyuan(regions):
    return make_conference(regions, "441800")


def make_task(ns, *, lead=K.EDUCATION, responsible=(K.FINANCE,), due_on=None, text="落实托育用地保障。"):
    return services.task_create(
        conference=ns.conference,
        text=text,
        due_on=due_on or datetime.date(2026, 6, 30),
        lead_unit=ns.units[lead] if lead else None,
        responsible_units=[ns.units[k] for k in responsible],
        reference="(一)1",
        other_parties="" if lead else "各县市区",
    )
