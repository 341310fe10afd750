"""Certificates, health checks, training and no-criminal-record certificates: the rules, who keeps them and
who may open their scans."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from registry.roles import Role
from tests.factories import AuthorityFactory, StaffFactory
from workforce.models import Ban, CertificateType
from workforce.selectors import certification_rates, certification_total, health_state, lapsing
from workforce.services import (
    WorkforceError,
    certificate_add,
    employment_end,
    health_check_add,
    hire,
    no_criminal_record_add,
    record_remove,
    training_add,
)

from .conftest import RIC_B, START, employ

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 scan\n%%EOF\n"
TODAY = timezone.localdate()


def scan(name="scan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


def kind(code):
    return CertificateType.objects.get(code=code, region__isnull=True)


def test_records_are_checked_and_kept_by_the_employer_only(places):
    person = employ(places, "sun").person
    sun = places["sun_operator"]
    with pytest.raises(WorkforceError) as refused:
        certificate_add(
            person=person,
            certificate_type=kind("baoyushi"),
            number="A1",
            issuer="人社局",
            issued_on=TODAY,
            expires_on=TODAY - datetime.timedelta(days=1),
            acting_user=sun,
        )
    assert "expires_on" in refused.value.errors
    with pytest.raises(WorkforceError) as refused:
        health_check_add(
            person=person, checked_on=TODAY, examined_by="妇幼保健院", valid_until=TODAY, acting_user=sun
        )
    assert "valid_until" in refused.value.errors
    with pytest.raises(WorkforceError) as refused:
        training_add(
            person=person,
            course="婴幼儿照护",
            hours=Decimal("0"),
            provider="x",
            completed_on=TODAY,
            acting_user=sun,
        )
    assert "hours" in refused.value.errors
    with pytest.raises(WorkforceError) as refused:
        no_criminal_record_add(
            person=person,
            police_station="派出所",
            issued_on=TODAY + datetime.timedelta(days=3),
            acting_user=sun,
        )
    assert "issued_on" in refused.value.errors
    with pytest.raises(WorkforceError) as refused:  # a scan that is no PDF
        health_check_add(
            person=person,
            checked_on=TODAY,
            examined_by="妇幼保健院",
            valid_until=TODAY + datetime.timedelta(days=365),
            acting_user=sun,
            scan=scan("fake.pdf", b"MZ\x90\x00"),
        )
    assert "scan" in refused.value.errors
    for stranger in (places["moon_operator"], places["reviewer_441802"]):
        with pytest.raises(PermissionDenied):
            training_add(
                person=person,
                course="x",
                hours=Decimal("8"),
                provider="x",
                completed_on=TODAY,
                acting_user=stranger,
            )
    check = health_check_add(
        person=person,
        checked_on=TODAY,
        examined_by="清城区妇幼保健院",
        valid_until=TODAY + datetime.timedelta(days=365),
        acting_user=sun,
        scan=scan(),
    )
    assert check.scan.name.startswith(f"staff/{person.pk}/") and check.scan_name == "scan.pdf"
    record_remove(record=check, acting_user=sun)
    assert not person.health_checks.exists()
    employment_end(employment=person.employments.get(), ends_on=TODAY, acting_user=sun)
    with pytest.raises(PermissionDenied):  # after the employment ends, the former employer keeps nothing
        training_add(
            person=person, course="x", hours=Decimal("8"), provider="x", completed_on=TODAY, acting_user=sun
        )


def test_a_hire_needs_a_no_criminal_record_certificate_unless_one_is_on_record(places):
    with pytest.raises(WorkforceError) as refused:
        hire(
            institution=places["sun"],
            document_type="ric",
            document_number=RIC_B,
            name="李保育",
            role="carer",
            starts_on=START,
            acting_user=places["sun_operator"],
        )
    assert "police_station" in refused.value.errors
    employ(places, "sun", number=RIC_B, name="李保育")
    # The same person in a second role: the certificate on record serves.
    hire(
        institution=places["sun"],
        document_type="ric",
        document_number=RIC_B,
        name="李保育",
        role="cook",
        starts_on=START,
        acting_user=places["sun_operator"],
    )


def test_certification_counts_valid_certificates_that_fit_the_role(places):
    carer = employ(places, "sun").person
    health = employ(places, "sun", number=RIC_B, role="health", name="周保健").person
    employ(places, "sun", number="441802199410101235", role="security", name="吴保安")
    sun = places["sun_operator"]
    certificate_add(
        person=carer,
        certificate_type=kind("baoyushi"),
        number="A1",
        issuer="人社局",
        issued_on=START,
        acting_user=sun,
    )
    # A nurse's licence does not certify a carer; a lapsed certificate certifies nobody.
    certificate_add(
        person=health,
        certificate_type=kind("baoyushi"),
        number="A2",
        issuer="人社局",
        issued_on=START,
        acting_user=sun,
    )
    certificate_add(
        person=health,
        certificate_type=kind("hushi"),
        number="N1",
        issuer="卫健委",
        issued_on=START,
        expires_on=TODAY - datetime.timedelta(days=1),
        acting_user=sun,
    )
    from workforce.models import Employment

    employments = Employment.objects.all()
    assert certification_total(employments, TODAY) == {"staff": 2, "certified": 1, "rate": 0.5}
    by_county = certification_rates(employments, TODAY, "institution__region")
    assert by_county == [{"key": "441802", "staff": 2, "certified": 1, "rate": 0.5}]
    assert [item["what"] for item in lapsing(places["sun"].pk, TODAY)].count("certificate") == 1


def test_passports_are_masked_to_a_third_and_starts_far_ahead_are_refused(places):
    from workforce import documents

    assert documents.masked("E12345678") == "E1******8"
    assert documents.masked("441802199003151235") == "4418**********1235"
    with pytest.raises(WorkforceError) as refused:
        hire(
            institution=places["sun"],
            document_type="passport",
            document_number="E12345678",
            name="Anna",
            role="cook",
            starts_on=TODAY + datetime.timedelta(days=90),
            acting_user=places["sun_operator"],
            no_criminal_record=("派出所", TODAY),
        )
    assert "starts_on" in refused.value.errors


def test_health_state_reads_as_the_roster_shows_it():
    assert health_state(None, TODAY) == "missing"
    assert health_state(TODAY - datetime.timedelta(days=1), TODAY) == "expired"
    assert health_state(TODAY + datetime.timedelta(days=30), TODAY) == "due"
    assert health_state(TODAY + datetime.timedelta(days=31), TODAY) == "valid"


def test_scans_open_for_the_employer_and_the_bureau_only(client, places, regions):
    person = employ(places, "sun").person
    check = health_check_add(
        person=person,
        checked_on=TODAY,
        examined_by="清城区妇幼保健院",
        valid_until=TODAY + datetime.timedelta(days=365),
        acting_user=places["sun_operator"],
        scan=scan(),
    )
    url = f"/staff/scans/health-check/{check.pk}/"
    police = StaffFactory(
        authority=AuthorityFactory(kind="public_security", region=regions["441802"]),
        role=Role.PUBLIC_SECURITY,
    )
    assert client.get(url).status_code == 302  # to the login page
    for user, status in (
        (places["sun_operator"], 200),
        (places["reviewer_441802"], 200),
        (places["moon_operator"], 404),
        (places["reviewer_441803"], 404),
        (police, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Cache-Control"] == "private, no-store"
    assert client.get("/staff/scans/nonsense/1/").status_code == 404


def test_a_ban_is_recorded_with_its_decision_seen_by_authorities_only(client, places, regions):
    police = StaffFactory(
        authority=AuthorityFactory(kind="public_security", region=regions["441802"]),
        role=Role.PUBLIC_SECURITY,
    )
    client.force_login(police)
    form = {
        "document_type": "ric",
        "document_number": RIC_B,
        "name": "李某",
        "reason": "虐待儿童",
        "decided_by_body": "清城区人民法院",
        "decided_on": "2026-09-01",
        "lifetime": "on",
    }
    dates = client.post("/admin/workforce/ban/add/", {**form, "lifetime": "", "until": "2026-08-01"})
    assert "禁止期限须晚于决定日期" in dates.content.decode() and not Ban.objects.exists()
    refused = client.post("/admin/workforce/ban/add/", {**form, "scan": scan("decision.pdf", b"GIF89a")})
    assert refused.status_code == 200 and "decision.pdf" not in refused.content.decode()
    assert client.post("/admin/workforce/ban/add/", {**form, "scan": scan("decision.pdf")}).status_code == 302
    ban = Ban.objects.get()
    url = f"/staff/bans/{ban.pk}/decision/"
    assert client.get(url).status_code == 200
    assert "decision.pdf" in client.get(f"/admin/workforce/ban/{ban.pk}/change/").content.decode()
    for stranger in (places["sun_operator"], places["reviewer_441803"]):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.force_login(places["reviewer_441802"])
    assert client.get(url).status_code == 200
