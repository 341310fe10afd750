"""Home-based care points (家庭托育点, national rules of 2023): a residence caring for at most 5 children with
at most 3 to a carer; registered, then filed with its own form, materials, commitment and findings; a point
with more children files as an institution."""

import pytest

from filing.selectors import required_materials
from filing.services import FilingError, filing_accept, filing_start, filing_submit
from registry.models import Institution
from registry.services import operator_grant
from tests.factories import UserFactory, make_uscc

from .conftest import complete_draft, push_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(regions):
    return push_institution(
        regions, name="清城区小星星家庭托育点", business_scope="家庭托育服务", uscc=make_uscc("441802", "92")
    )


@pytest.fixture
def point_operator(point):
    user = UserFactory()
    operator_grant(user=user, institution=point)
    return user


def draft(point, operator, children, carers):
    filing = filing_start(institution=point, acting_user=operator)
    assert filing.care_form == "home_point"  # its scope is 家庭托育服务
    return complete_draft(
        point,
        operator,
        data={"tenure": "owned", "lease_ends_on": None, "staff_health": 0, "staff_security": 0},
        classes=[
            {
                "class_type": "mixed",
                "name": "混龄班",
                "slots": children,
                "enrolled": children,
                "carers": carers,
            }
        ],
    )


def test_a_point_files_with_its_own_materials_and_receipt(client, point, point_operator, reviewer):
    codes = {r.code for r in required_materials("441802", "home_point") if r.required}
    assert "carer_background" in codes and "health_evaluation" not in codes
    assert "carer_background" not in {r.code for r in required_materials("441802", "institution")}

    submitted = filing_submit(filing=draft(point, point_operator, 5, 2), acting_user=point_operator)
    assert submitted.findings == []  # no class caps, outdoor area or security staff asked of a point
    accepted = filing_accept(filing=submitted, acting_user=reviewer)
    assert Institution.objects.get(pk=point.pk).care_form == "home_point"
    client.force_login(point_operator)
    assert "家庭托育点备案回执" in client.get(f"/filing/receipts/{accepted.pk}/").content.decode()


def test_a_point_with_more_than_five_children_files_as_an_institution(point, point_operator):
    with pytest.raises(FilingError) as refused:
        filing_submit(filing=draft(point, point_operator, 6, 2), acting_user=point_operator)
    assert "按托育机构备案" in " ".join(refused.value.errors["classes"])


def test_three_children_to_a_carer_at_most(point, point_operator):
    submitted = filing_submit(filing=draft(point, point_operator, 5, 1), acting_user=point_operator)
    assert [f["code"] for f in submitted.findings] == ["home_point_ratio"]
