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
NCR = ("清城区公安分局凤城派出所", datetime.date(2026, 8, 1))


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


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def employ(places, key, number=RIC_A, role="carer", name="张保育"):
    from workforce.services import hire

    return hire(
        institution=places[key],
        document_type="ric",
        document_number=number,
        name=name,
        role=role,
        starts_on=START,
        acting_user=places[f"{key}_operator"],
        no_criminal_record=NCR,
    )


def ric_number(serial: int, region: str = "441802") -> str:
    """A valid resident identity number, different for each serial."""
    from stdnum.cn import ric

    body = f"{region}1990{1 + serial // 900 % 12:02d}{1 + serial // 36 % 25:02d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")
