import pytest
from django.core.cache import cache

from filing.services import filing_accept, filing_submit
from registry.services import operator_grant
from subsidies.models import GuidedFee, PriceCapRule, ReferenceYear
from subsidies.services import recognition_apply
from tests.factories import UserFactory
from tests.filing.conftest import complete_draft, push_institution, reviewer_of


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def institution(regions):
    return push_institution(regions)


@pytest.fixture
def operator(institution):
    return operator_of(institution)


@pytest.fixture
def reviewer(regions):
    return reviewer_of(regions, "441802")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def file(institution, operator, reviewer, **data):
    filing = complete_draft(institution, operator, data=data)
    return filing_accept(filing=filing_submit(filing=filing, acting_user=operator), acting_user=reviewer)


@pytest.fixture
def filed(institution, operator, reviewer):
    file(institution, operator, reviewer)
    institution.refresh_from_db()
    return institution


@pytest.fixture
def cap_441802(regions):
    """Qingcheng's cap: 30 % of a twelfth of last year's 60,000 yuan = 1,500 yuan a month."""
    from django.utils import timezone

    PriceCapRule.objects.create(region=regions["441802"], percent=30, income="all")
    ReferenceYear.objects.create(
        region=regions["441802"], year=timezone.localdate().year - 1, income_all=60000
    )
    return 1500


def operator_of(institution):
    user = UserFactory()
    operator_grant(user=user, institution=institution)
    return user


def apply(institution, operator, fees=None, kind="inclusive", **changes):
    return recognition_apply(
        institution=institution,
        kind=kind,
        fees={"full_day": 1400} if fees is None and kind == "inclusive" else fees,
        slots=changes.get("slots", 15),
        inclusive_slots=changes.get("inclusive_slots", 15),
        undertaking_accepted=changes.get("undertaking_accepted", True),
        acting_user=operator,
    )


__all__ = ["GuidedFee", "apply", "file", "operator_of", "push_institution", "reviewer_of"]
