"""The staff register's rules: identity numbers sealed and masked, one carer at one institution, bans
checked on every hire and flagging open employments, and full numbers only for those entitled."""

import pytest
from django.core.exceptions import PermissionDenied

from notifications.models import Notification
from registry.roles import Role
from tests.factories import AuthorityFactory, StaffFactory
from workforce import documents
from workforce.models import DocumentView, Employment, Person
from workforce.services import WorkforceError, ban_record, employment_end, person_document

from .conftest import RIC_A, RIC_B, START, employ

pytestmark = pytest.mark.django_db


def add(places, key, number=RIC_A, role="carer", name="张保育"):
    return employ(places, key, number=number, role=role, name=name)


def test_identity_numbers_are_checked_sealed_and_masked(places):
    with pytest.raises(WorkforceError):
        add(places, "sun", number="110105194912310021")  # wrong check character
    employment = add(places, "sun", number=RIC_A.lower())
    person = employment.person
    assert person.document_masked == "1101**********002X"
    assert RIC_A not in person.document_sealed and documents.unseal(person.document_sealed) == RIC_A
    assert person.document_digest == documents.digest("ric", RIC_A)
    assert not Person.history.model._meta.get_fields() or all(
        f.name != "document_sealed" for f in Person.history.model._meta.get_fields()
    )


def test_a_carer_works_at_one_institution_at_a_time(places):
    add(places, "sun")
    with pytest.raises(WorkforceError) as refused:
        add(places, "star")
    assert "另一机构" in refused.value.message and "sun" not in refused.value.message
    notice = Notification.objects.get(recipient=places["reviewer_441803"], key__startswith="carer-elsewhere")
    assert "sun托育有限公司" in notice.body  # the bureau of the new institution sees both
    add(places, "star", role="cook")  # another role is no carer employment
    employment_end(
        employment=Employment.objects.get(institution=places["sun"], role="carer"),
        ends_on=START,
        acting_user=places["sun_operator"],
    )
    assert add(places, "star").role == "carer"  # released: hired


def test_a_banned_person_cannot_be_hired_and_a_new_ban_flags_the_open_employment(places, regions):
    police = StaffFactory(
        authority=AuthorityFactory(kind="public_security", region=regions["441802"]),
        role=Role.PUBLIC_SECURITY,
    )
    working = add(places, "sun", number=RIC_B, name="李某")
    ban = ban_record(
        document_type="ric",
        document_number=RIC_B,
        name="李某",
        reason="虐待儿童，终身禁入",
        decided_by_body="清城区人民法院",
        decided_on=START,
        lifetime=True,
        until=None,
        acting_user=police,
    )
    working.refresh_from_db()
    assert working.ban_flagged and ban.document_masked == "4418**********1235"
    told = set(Notification.objects.filter(key__startswith="ban-flag").values_list("recipient", flat=True))
    assert {places["sun_operator"].pk, places["reviewer_441802"].pk} <= told
    with pytest.raises(WorkforceError) as refused:
        add(places, "moon", number=RIC_B, role="cook", name="李某")
    assert "禁" in refused.value.message
    assert Notification.objects.filter(
        recipient=places["reviewer_441802"], key__startswith="ban-hire"
    ).exists()
    with pytest.raises(PermissionDenied):  # operators never record (or read) bans
        ban_record(
            document_type="ric",
            document_number=RIC_A,
            name="张某",
            reason="x",
            decided_by_body="x",
            decided_on=START,
            lifetime=True,
            until=None,
            acting_user=places["sun_operator"],
        )


def test_full_numbers_only_for_the_entitled_and_each_showing_is_recorded(client, places):
    former = add(places, "moon", number=RIC_B, role="cook", name="前员工")
    employment_end(employment=former, ends_on=START, acting_user=places["moon_operator"])
    with pytest.raises(PermissionDenied):  # a former employer no longer sees the full number
        person_document(person=former.person, viewer=places["moon_operator"])
    person = add(places, "sun").person
    assert person_document(person=person, viewer=places["sun_operator"]) == RIC_A
    assert person_document(person=person, viewer=places["reviewer_441802"]) == RIC_A
    for stranger in (places["moon_operator"], places["reviewer_441803"]):
        with pytest.raises(PermissionDenied):
            person_document(person=person, viewer=stranger)
    assert DocumentView.objects.filter(person=person).count() == 2

    client.force_login(places["reviewer_441802"])
    listed = client.get("/admin/workforce/employment/").content.decode()
    assert "1101**********002X" in listed and RIC_A not in listed
    found = client.get("/admin/workforce/employment/", {"q": RIC_A}).content.decode()
    assert "张保育" in found  # a whole number finds the person through the digest
    shown = client.post(f"/admin/workforce/person/{person.pk}/document/").content.decode()
    assert RIC_A in shown and DocumentView.objects.filter(person=person).count() == 3
    assert client.get(f"/admin/workforce/person/{person.pk}/document/").status_code == 302  # never by GET

    audit = client.get("/admin/workforce/documentview/").content.decode()
    assert "张保育" in audit and "op-sun" in audit  # who saw the full number, and whose

    client.force_login(places["reviewer_441803"])
    assert "张保育" not in client.get("/admin/workforce/employment/").content.decode()
    assert "张保育" not in client.get("/admin/workforce/documentview/").content.decode()
    assert client.post(f"/admin/workforce/person/{person.pk}/document/").status_code == 404
