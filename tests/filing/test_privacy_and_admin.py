"""Materials and receipts are private to the institution's operators and its bureau; the bureau decides
in the admin."""

import pytest
from django.utils import timezone

from filing.models import Filing
from filing.services import filing_accept
from registry.services import operator_grant
from tests.factories import UserFactory
from tests.filing.conftest import push_institution, reviewer_of

pytestmark = pytest.mark.django_db


def material_url(filing):
    return f"/filing/materials/{filing.materials.first().pk}/"


def test_materials_are_served_only_to_the_operator_and_the_countys_staff(
    client, regions, operator, reviewer, submitted
):
    url = material_url(submitted)
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(reviewer)
    assert client.get(url).status_code == 200

    other_operator = UserFactory()
    operator_grant(user=other_operator, institution=push_institution(regions))
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(reviewer_of(regions, "441803"))
    assert client.get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_uploads_have_no_public_url(client, submitted):
    stored = submitted.materials.first().file.name
    assert stored.startswith(f"materials/441802/{submitted.institution_id}/")
    assert client.get(f"/media/{stored}").status_code == 404


def test_receipt_only_once_accepted_and_only_for_those_concerned(
    client, regions, operator, reviewer, submitted
):
    url = f"/filing/receipts/{submitted.pk}/"
    client.force_login(operator)
    assert client.get(url).status_code == 404
    filing_accept(filing=submitted, acting_user=reviewer)
    submitted.refresh_from_db()
    page = client.get(url)
    assert page.status_code == 200 and submitted.receipt_number in page.content.decode()
    assert "托育机构备案回执" in page.content.decode()
    assert "全日托" in page.content.decode() and "full_day" not in page.content.decode()
    client.force_login(reviewer_of(regions, "441803"))
    assert client.get(url).status_code == 404


def test_the_queue_shows_the_countys_filings_with_days_waited(client, regions, reviewer, submitted):
    push_institution(regions, "441803")
    client.force_login(reviewer)
    page = client.get("/admin/filing/filing/").content.decode()
    assert submitted.name in page
    assert "0 / 5" in page
    assert "441803托育有限公司" not in page


def test_the_queue_costs_the_same_queries_for_few_or_many(
    client, regions, reviewer, submitted, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.filing.conftest import complete_draft

    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/filing/filing/")
    for _ in range(5):
        institution = push_institution(regions)
        operator = UserFactory()
        operator_grant(user=operator, institution=institution)
        complete_draft(institution, operator)
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/filing/filing/")
    assert len(many) == len(few)


def test_return_through_the_admin_with_reasons_per_item(client, reviewer, submitted):
    client.force_login(reviewer)
    url = f"/admin/filing/filing/{submitted.pk}/decide/return/"
    empty = client.post(url, {})
    assert empty.status_code == 200
    assert "请至少填写一条退回理由" in empty.content.decode()
    response = client.post(
        url,
        {
            "item_0": "premises",
            "reason_0": "租赁合同未盖章",
            "item_1": "material:fire_safety",
            "reason_1": "证明已过期",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Filing.Status.RETURNED
    assert list(submitted.return_reasons.values_list("reason", flat=True)) == ["租赁合同未盖章", "证明已过期"]


def test_accept_through_the_admin_then_the_buttons_disappear(client, reviewer, submitted):
    client.force_login(reviewer)
    change_url = f"/admin/filing/filing/{submitted.pk}/change/"
    assert "decide/accept" in client.get(change_url).content.decode()
    client.post(f"/admin/filing/filing/{submitted.pk}/decide/accept/", {"note": "齐全"})
    submitted.refresh_from_db()
    assert submitted.status == "accepted"
    assert submitted.receipt_number.endswith(f"{timezone.localdate().year}00001")
    assert "decide/accept" not in client.get(change_url).content.decode()
    again = client.post(f"/admin/filing/filing/{submitted.pk}/decide/refuse/", {"reason": "x"})
    assert again.status_code == 200  # the form comes back with the service's message
    submitted.refresh_from_db()
    assert submitted.status == "accepted"


def test_staff_without_review_permission_cannot_decide(client, regions, submitted):
    from tests.factories import AuthorityFactory, StaffFactory

    outsider = StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role="nobody")
    client.force_login(outsider)
    assert client.post(f"/admin/filing/filing/{submitted.pk}/decide/accept/").status_code == 403
