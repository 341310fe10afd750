import datetime

import pytest

from registry.roles import Role
from registry.services import operator_grant, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory
from tests.filing.conftest import push_institution

# Valid resident identity numbers (the last character is the check character).
RIC_A = "11010519491231002X"
RIC_B = "441802199003151235"
START = datetime.date(2026, 9, 1)


@pytest.fixture
def places(regions):
    """Two institutions in 清城区 and one in 清新区, each with its own operator; the county reviewers."""
    roles_sync()
    found = {}
    for key, county in (("sun", "441802"), ("moon", "441802"), ("star", "441803")):
        institution = push_institution(regions, county, name=f"{key}托育有限公司")
        operator = UserFactory(username=f"op-{key}")
        operator_grant(user=operator, institution=institution)
        found[key] = institution
        found[f"{key}_operator"] = operator
    for county in ("441802", "441803"):
        found[f"reviewer_{county}"] = StaffFactory(
            authority=AuthorityFactory(region=regions[county]), role=Role.COUNTY_HEALTH
        )
    return found
