import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filing.selectors import required_materials
from filing.services import filing_save_draft, filing_start, filing_submit, material_add
from registry.models import Authority
from registry.roles import Role
from registry.services import api_client_create, operator_grant, registration_push, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory, make_uscc

PDF = b"%PDF-1.4 demo\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def push_institution(regions, county="441802", **changes):
    """An institution registered this month by a market regulation bureau; `changes` alter the record."""
    pusher = api_client_create(
        authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions[county]), name="mr"
    )[0]
    outcome = registration_push(
        client=pusher,
        record={
            "uscc": make_uscc(county),
            "name": f"{county}托育有限公司",
            "route": "enterprise",
            "region_code": county,
            "address": "某路1号",
            "legal_representative": "张三",
            "registered_on": timezone.localdate(),
            "business_scope": "托育服务",
            "service_types": ["full_day"],
            "employer_run": False,
            "status": "active",
            "cancelled_on": None,
            **changes,
        },
    )
    return outcome.registration.institution


@pytest.fixture
def institution(regions):
    return push_institution(regions)


@pytest.fixture
def operator(institution):
    user = UserFactory()
    operator_grant(user=user, institution=institution)
    return user


def reviewer_of(regions, code):
    roles_sync()
    return StaffFactory(authority=AuthorityFactory(region=regions[code]), role=Role.COUNTY_HEALTH)


@pytest.fixture
def reviewer(regions):
    return reviewer_of(regions, "441802")


FULL_DATA = {
    "contact_person": "王老师",
    "contact_phone": "0763-1234567",
    "building_area": Decimal("400"),
    "outdoor_area": Decimal("120"),
    "tenure": "leased",
    "lease_starts_on": datetime.date(2024, 1, 1),
    "lease_ends_on": datetime.date(2028, 1, 1),
    "service_types": ["full_day"],
    "monthly_fees": {"full_day": 2000},
    "staff_management": 1,
    "staff_carers": 3,
    "staff_health": 1,
    "staff_security": 1,
    "staff_cooks": 1,
}
CLASSES = [{"class_type": "toddler", "name": "托小班", "slots": 15, "enrolled": 12, "carers": 3}]


def complete_draft(institution, operator, *, data=None, classes=None, materials=True, commitment=True):
    filing = filing_start(institution=institution, acting_user=operator)
    filing = filing_save_draft(
        filing=filing,
        data={**FULL_DATA, **(data or {})},
        classes=CLASSES if classes is None else classes,
        acting_user=operator,
        commitment_accepted=commitment,
    )
    if materials:
        for requirement in required_materials(institution.region_id, filing.care_form):
            if requirement.required:
                upload = SimpleUploadedFile(f"{requirement.code}.pdf", PDF, "application/pdf")
                material_add(filing=filing, requirement=requirement, upload=upload, acting_user=operator)
    return filing


@pytest.fixture
def submitted(institution, operator):
    return filing_submit(filing=complete_draft(institution, operator), acting_user=operator)


# What an operator types into the portal's filing form for a complete toddler-class institution.
FORM = {
    "name": "清城区托育有限公司",
    "address": "某路1号",
    "legal_representative": "张三",
    "contact_person": "王老师",
    "contact_phone": "0763-1234567",
    "building_area": "400",
    "outdoor_area": "120",
    "tenure": "owned",
    "service_types": ["full_day"],
    "fee_full_day": "2000",
    "staff_management": "1",
    "staff_carers": "3",
    "staff_health": "1",
    "staff_security": "1",
    "staff_cooks": "1",
    "commitment": "on",
    "classes-TOTAL_FORMS": "1",
    "classes-INITIAL_FORMS": "0",
    "classes-MIN_NUM_FORMS": "0",
    "classes-MAX_NUM_FORMS": "30",
    "classes-0-class_type": "toddler",
    "classes-0-name": "托小班",
    "classes-0-slots": "15",
    "classes-0-enrolled": "10",
    "classes-0-carers": "3",
}
