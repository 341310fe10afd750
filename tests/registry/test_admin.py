"""The institution admin as bureau staff use it: each sees their jurisdiction only, the list costs the same
number of queries however long it is, and every change is in the history with who made it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.models import AnnualReport
from registry.models import Institution
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, InstitutionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registry/institution/"


def change_url(institution):
    return f"{CHANGELIST}{institution.pk}/change/"


def history_url(institution):
    return f"{CHANGELIST}{institution.pk}/history/"


@pytest.fixture
def staff(regions):
    """A county reviewer in Qingcheng (441802) and a city supervisor in Qingyuan (441800)."""
    roles_sync()
    return {
        "county": StaffFactory(
            username="qingcheng-reviewer",
            authority=AuthorityFactory(region=regions["441802"]),
            role=Role.COUNTY_HEALTH,
        ),
        "city": StaffFactory(
            username="qingyuan-supervisor",
            authority=AuthorityFactory(region=regions["441800"]),
            role=Role.SUPERVISING_HEALTH,
        ),
    }


@pytest.fixture
def institutions(regions):
    return {
        "qingcheng": InstitutionFactory(region=regions["441802"], name="清城区小树苗托育有限公司"),
        "qingxin": InstitutionFactory(region=regions["441803"], name="清新区爱心托育有限公司"),
        "yuncheng": InstitutionFactory(region=regions["445302"], name="云城区童心托育有限公司"),
    }


def listed(response):
    assert response.status_code == 200
    return {institution.pk for institution in response.context["cl"].result_list}


def test_county_staff_list_only_their_county(client, staff, institutions):
    client.force_login(staff["county"])
    response = client.get(CHANGELIST)
    assert listed(response) == {institutions["qingcheng"].pk}
    page = response.content.decode()
    assert "清城区小树苗托育有限公司" in page
    assert "清新区爱心托育有限公司" not in page
    assert "云城区童心托育有限公司" not in page


def test_county_staff_cannot_open_another_countys_institution(client, staff, institutions):
    client.force_login(staff["county"])
    other = institutions["qingxin"]

    response = client.get(change_url(other))
    assert response.status_code == 302
    assert response.url == "/admin/"
    followed = client.get(change_url(other), follow=True).content.decode()
    assert other.name not in followed
    assert other.uscc not in followed

    # their own opens
    own = client.get(change_url(institutions["qingcheng"]))
    assert own.status_code == 200
    assert institutions["qingcheng"].uscc in own.content.decode()


def form_data(institution, **changes):
    data = {
        "uscc": institution.uscc,
        "name": institution.name,
        "route": institution.route,
        "region": institution.region_id,
        "address": institution.address,
        "filing_status": institution.filing_status,
        "_save": "Save",
    }
    if institution.employer_run:
        data["employer_run"] = "on"
    data.update(changes)
    return data


def test_county_staff_cannot_change_another_countys_institution(client, staff, institutions):
    client.force_login(staff["county"])
    other = institutions["qingxin"]
    response = client.post(change_url(other), form_data(other, name="被改名的机构"))
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert Institution.objects.get(pk=other.pk).name == "清新区爱心托育有限公司"
    assert not Institution.history.filter(id=other.pk, name="被改名的机构").exists()


def test_county_staff_cannot_move_an_institution_to_a_county_outside_their_jurisdiction(
    client, staff, institutions
):
    client.force_login(staff["county"])
    own = institutions["qingcheng"]
    response = client.post(change_url(own), form_data(own, region="441803"))
    assert response.status_code == 200  # the form is shown again with an error
    assert response.context["adminform"].form.errors["region"]
    assert Institution.objects.get(pk=own.pk).region_id == "441802"


def test_city_staff_list_both_of_their_counties_read_only(client, staff, institutions):
    client.force_login(staff["city"])
    assert listed(client.get(CHANGELIST)) == {institutions["qingcheng"].pk, institutions["qingxin"].pk}

    qingxin = institutions["qingxin"]
    assert client.get(change_url(qingxin)).status_code == 200  # may view
    response = client.post(change_url(qingxin), form_data(qingxin, name="市级改名"))
    assert response.status_code == 403  # read-mostly: supervising staff do not edit institutions
    assert Institution.objects.get(pk=qingxin.pk).name == "清新区爱心托育有限公司"
    # another city's institution stays out of reach
    assert client.get(change_url(institutions["yuncheng"])).status_code == 302


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(response.context["cl"].result_list), len(queries)


@pytest.mark.parametrize("who, counties", [("county", ["441802"]), ("city", ["441802", "441803"])])
def test_the_changelist_runs_as_many_queries_for_fifty_institutions_as_for_five(
    client, regions, staff, who, counties
):
    client.force_login(staff[who])
    client.get(CHANGELIST)  # the session and content types are warm from here on
    for n in range(5):
        InstitutionFactory(region=regions[counties[n % len(counties)]])
    few_rows, few = changelist_queries(client)
    for n in range(45):
        InstitutionFactory(region=regions[counties[n % len(counties)]])
    many_rows, many = changelist_queries(client)

    assert (few_rows, many_rows) == (5, 50)
    assert many == few, f"{few} queries for 5 rows, {many} for 50"


def test_a_change_made_in_the_admin_is_in_the_history_with_who_made_it(client, staff, institutions):
    client.force_login(staff["county"])
    own = institutions["qingcheng"]
    response = client.post(
        change_url(own), form_data(own, name="清城区小树苗托育中心", address="清城区新路8号")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    latest = Institution.history.filter(id=own.pk).latest("history_date")
    assert latest.history_user == staff["county"]
    assert latest.history_type == "~"
    assert latest.name == "清城区小树苗托育中心"

    page = client.get(history_url(own))
    assert page.status_code == 200
    body = page.content.decode()
    assert "qingcheng-reviewer" in body
    assert "清城区新路8号" in body  # the changed value is shown in the change's row
    assert len(page.context["page_obj"].object_list) == 2  # creation and the change


def test_a_change_made_in_code_with_a_history_user_shows_that_user(client, staff, institutions):
    own = institutions["qingcheng"]
    own.filing_status = Institution.FilingStatus.FILED
    own._history_user = staff["city"]
    own.save()

    client.force_login(staff["county"])
    body = client.get(history_url(own)).content.decode()
    assert "qingyuan-supervisor" in body


def test_county_staff_cannot_read_another_countys_institution_history(client, staff, institutions):
    other = institutions["qingxin"]
    client.force_login(staff["county"])
    response = client.get(history_url(other))
    assert response.status_code in (302, 403, 404)
    assert other.name not in response.content.decode()


def test_county_staff_cannot_revert_another_countys_institution(client, staff, institutions):
    other = institutions["qingxin"]
    version = Institution.history.filter(id=other.pk).latest("history_date")
    client.force_login(staff["county"])
    response = client.post(
        f"{history_url(other)}{version.history_id}/", form_data(other, name="越权改名", region="441802")
    )
    assert response.status_code in (302, 403, 404)
    assert Institution.objects.get(pk=other.pk).name == "清新区爱心托育有限公司"


def test_staff_users_list_shows_only_people_of_the_jurisdiction(client, regions, staff):
    colleague = StaffFactory(username="qingcheng-colleague", authority=staff["county"].authority)
    neighbour = StaffFactory(
        username="qingxin-reviewer", authority=AuthorityFactory(region=regions["441803"])
    )

    client.force_login(staff["county"])
    response = client.get("/admin/registry/user/")
    assert response.status_code == 200
    seen = {user.username for user in response.context["cl"].result_list}
    assert seen == {"qingcheng-reviewer", "qingcheng-colleague"}
    assert client.get(f"/admin/registry/user/{neighbour.pk}/change/").status_code == 302

    client.force_login(staff["city"])
    seen = {user.username for user in client.get("/admin/registry/user/").context["cl"].result_list}
    assert {colleague.username, neighbour.username, "qingyuan-supervisor"} <= seen


def test_county_staff_cannot_read_the_history_of_a_person_outside_their_jurisdiction(client, regions, staff):
    neighbour = StaffFactory(
        username="qingxin-reviewer", phone="13800000000", authority=AuthorityFactory(region=regions["441803"])
    )
    client.force_login(staff["county"])
    response = client.get(f"/admin/registry/user/{neighbour.pk}/history/")
    assert response.status_code in (302, 403, 404)
    assert "qingxin-reviewer" not in response.content.decode()


def test_records_without_history_show_the_admin_change_log_instead(client, regions):
    from notifications.models import OutboxEvent

    event = OutboxEvent.objects.create(
        event_type="monthly_push.report", key="k", payload={}, region_code="441802"
    )
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(f"/admin/notifications/outboxevent/{event.pk}/history/").status_code == 200
    client.force_login(StaffFactory(authority=AuthorityFactory(region=regions["441803"])))
    assert client.get(f"/admin/notifications/outboxevent/{event.pk}/history/").status_code == 404


def test_rows_kept_by_county_follow_an_institution_moved_in_the_admin(client, regions, staff, institutions):
    superuser = StaffFactory(is_superuser=True)
    own = institutions["qingcheng"]
    report = AnnualReport.objects.create(
        institution=own, year=2025, enrolled_children=10, staff_total=3, submitted_by=UserFactory()
    )
    client.force_login(superuser)
    response = client.post(change_url(own), form_data(own, region="441803"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.region_id == "441803"
    client.force_login(staff["county"])  # 清城区's clerk no longer lists it
    assert report.pk not in {
        r.pk for r in client.get("/admin/filing/annualreport/").context["cl"].result_list
    }
