"""Excel export of admin lists: the rows the person may see, with the filters and search they set, every page,
under the list's Chinese headers."""

import io

import pytest
from openpyxl import load_workbook

from registry.models import Institution
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, InstitutionFactory, StaffFactory

pytestmark = pytest.mark.django_db

EXPORT = "/admin/registry/institution/export.xlsx"


@pytest.fixture
def staff(regions):
    roles_sync()
    return {
        "county": StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH),
        "city": StaffFactory(
            authority=AuthorityFactory(region=regions["441800"]), role=Role.SUPERVISING_HEALTH
        ),
    }


def rows(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def test_an_export_holds_every_row_the_person_sees_and_no_other(client, regions, staff):
    for n in range(3):
        InstitutionFactory(region=regions["441802"], name=f"清城区托育{n}")
    InstitutionFactory(region=regions["441803"], name="清新区托育")
    InstitutionFactory(region=regions["445302"], name="云城区托育")
    client.force_login(staff["county"])
    header, *body = rows(client.get(EXPORT))
    assert "名称" in header
    names = {row[header.index("名称")] for row in body}
    assert names == {"清城区托育0", "清城区托育1", "清城区托育2"}
    client.force_login(staff["city"])
    header, *body = rows(client.get(EXPORT))
    names = {row[header.index("名称")] for row in body}
    assert names == {"清城区托育0", "清城区托育1", "清城区托育2", "清新区托育"}


def test_an_export_honours_the_search_and_filters_of_the_list(client, regions, staff):
    InstitutionFactory(region=regions["441802"], name="阳光托育", filing_status="filed")
    InstitutionFactory(region=regions["441802"], name="月亮托育")
    client.force_login(staff["county"])
    listing = client.get("/admin/registry/institution/", {"q": "阳光"})
    assert f"{EXPORT}?q=%E9%98%B3%E5%85%89" in listing.text
    header, *body = rows(client.get(EXPORT, {"q": "阳光"}))
    assert [row[header.index("名称")] for row in body] == ["阳光托育"]
    header, *body = rows(client.get(EXPORT, {"filing_status__exact": "filed"}))
    assert [row[header.index("名称")] for row in body] == ["阳光托育"]


def test_no_export_without_the_right_to_see_the_list(client, regions):
    roles_sync()
    liaison = StaffFactory(authority=AuthorityFactory(region=regions["420300"]), role=Role.CONFERENCE_LIAISON)
    client.force_login(liaison)
    assert client.get(EXPORT).status_code == 403
    assert Institution.objects.count() == 0
