import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.models import Outcome, Result, Rubric
from inspections.selectors import checklists_for
from inspections.services import (
    assessment_score,
    findings_save,
    inspection_record,
    inspection_start,
    round_open,
    self_assessment_save,
)
from registry.models import Authority
from registry.models.institutions import FilingStatus
from registry.roles import Role
from registry.services import operator_grant, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory
from tests.filing.conftest import push_institution

K = Authority.Kind
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdac\xfc\xcf\xc0P\x0f\x00\x04\x85\x01\x80\x84\xa9\x8c!\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def department_team(regions, kind, role, county, size=2):
    authority = AuthorityFactory(kind=kind, region=regions[county])
    return [
        StaffFactory(username=f"{kind}-{county}-{n}", authority=authority, role=role, first_name=f"{kind}{n}")
        for n in range(size)
    ]


@pytest.fixture
def world(regions):
    """清城区 (441802): 阳光 (filed) and 月亮 with their operators; fire, market regulation and health
    teams there; a fire team in 清新区 (441803) with 星星 to inspect."""
    roles_sync()
    w = SimpleNamespace(regions=regions)
    w.sun = push_institution(regions, "441802", name="阳光托育有限公司")
    w.sun.filing_status = FilingStatus.FILED
    w.sun.save(update_fields=["filing_status"])
    w.moon = push_institution(regions, "441802", name="月亮托育有限公司")
    w.star = push_institution(regions, "441803", name="星星托育有限公司")
    w.sun_operator = UserFactory(username="op-sun")
    operator_grant(user=w.sun_operator, institution=w.sun)
    w.moon_operator = UserFactory(username="op-moon")
    operator_grant(user=w.moon_operator, institution=w.moon)
    w.fire = department_team(regions, K.FIRE, Role.FIRE, "441802", size=3)
    w.market = department_team(regions, K.MARKET_REGULATION, Role.MARKET_REGULATION, "441802")
    w.health = department_team(regions, K.HEALTH, Role.COUNTY_HEALTH, "441802")
    w.fire_elsewhere = department_team(regions, K.FIRE, Role.FIRE, "441803")
    w.city_health = StaffFactory(
        username="health-441800",
        authority=AuthorityFactory(region=regions["441800"]),
        role=Role.SUPERVISING_HEALTH,
    )
    return w


def checklist(department, county="441802"):
    return next(iter(checklists_for(county, department).values()))


def inspect(team, institution, department, *, failing=(), outcome=None, days_ago=1, record=True, **extra):
    """An inspection by the first two of `team`, every item compliant but `failing` (codes)."""
    inspection = inspection_start(
        institution=institution,
        checklist=checklist(department, institution.region_id),
        inspectors=team[:2],
        inspected_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        acting_user=team[0],
    )
    marks = {
        f.pk: (Result.NON_COMPLIANT, f"{f.code} 不符合") if f.code in failing else (Result.COMPLIANT, "")
        for f in inspection.findings.all()
    }
    findings_save(inspection=inspection, marks=marks, acting_user=team[0])
    if not record:
        return inspection
    if outcome is None:
        outcome = Outcome.RECTIFY if failing else Outcome.PASSED
    return inspection_record(inspection=inspection, outcome=outcome, acting_user=team[0], **extra)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The complaint rate limit counts per address in the cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


TODAY = timezone.localdate


@pytest.fixture
def assessors(world):
    city_body = AuthorityFactory(
        kind=Authority.Kind.ASSESSMENT_BODY, region=world.regions["441800"], name="评估中心"
    )
    other_body = AuthorityFactory(
        kind=Authority.Kind.ASSESSMENT_BODY, region=world.regions["420300"], name="另一中心"
    )
    return {
        "third": StaffFactory(username="assessor-441800", authority=city_body, role=Role.ASSESSOR),
        "other": StaffFactory(username="assessor-420300", authority=other_body, role=Role.ASSESSOR),
        "body": city_body,
    }


def rubric():
    return Rubric.objects.get(region=None, code="wst821", current=True)


def open_round(world, assessor, **changes):
    arguments = {
        "title": "2026年清城区托育机构质量评估",
        "region": world.regions["441802"],
        "starts_on": TODAY() - datetime.timedelta(days=10),
        "ends_on": TODAY() + datetime.timedelta(days=20),
        "rubric": rubric(),
        "assessor": assessor,
        "acting_user": world.health[0],
        **changes,
    }
    return round_open(**arguments)


def self_assess(world, assessment, submit=True):
    answers = {i.pk: ("met", "") for i in assessment.items.all()}
    return self_assessment_save(
        assessment=assessment, answers=answers, submit=submit, acting_user=world.sun_operator
    )


def score(assessment, user, short=None):
    """Full points except `short` {code: points}."""
    short = short or {}
    return assessment_score(
        assessment=assessment,
        scores={i.pk: (str(short.get(i.code, i.points)), "") for i in assessment.items.all()},
        acting_user=user,
    )
