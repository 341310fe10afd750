"""The register's screens: the operator's roster and person pages, the bureau's list with its filters,
export and certification rate, the institution page's panel; each in a constant number of queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from filing.services import filing_submit
from tests.filing.conftest import complete_draft
from workforce.models import CertificateType, DocumentView, Employment
from workforce.services import certificate_add, health_check_add

from .conftest import RIC_A, employ, ric_number

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def roster_of(places, key, count, start=100):
    for serial in range(start, start + count):
        person = employ(places, key, number=ric_number(serial), name=f"员工{serial}").person
        certificate_add(
            person=person,
            certificate_type=CertificateType.objects.get(code="baoyushi"),
            number=f"C{serial}",
            issuer="人社局",
            issued_on=datetime.date(2025, 1, 1),
            acting_user=places[f"{key}_operator"],
        )
        health_check_add(
            person=person,
            checked_on=TODAY - datetime.timedelta(days=350),
            examined_by="妇幼保健院",
            valid_until=TODAY + datetime.timedelta(days=15),
            acting_user=places[f"{key}_operator"],
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_lists_cost_the_same_for_few_and_many(client, places):
    roster_of(places, "sun", 3)
    pages = [
        (places["sun_operator"], f"/portal/staff/institutions/{places['sun'].pk}/"),
        (places["reviewer_441802"], "/admin/workforce/employment/"),
        (places["reviewer_441802"], "/admin/workforce/employment/?health=due&certified=yes"),
        (places["reviewer_441802"], "/admin/workforce/person/"),
    ]
    before = []
    for user, url in pages:
        client.force_login(user)
        before.append(queries(client, url))
    roster_of(places, "sun", 25, start=200)
    for (user, url), count in zip(pages, before, strict=True):
        client.force_login(user)
        assert queries(client, url) == count, url


def test_the_operator_keeps_the_roster_in_the_portal(client, places):
    client.force_login(places["sun_operator"])
    base = f"/portal/staff/institutions/{places['sun'].pk}/"
    refused = client.post(
        base + "add/",
        {
            "name": "张保育",
            "document_type": "ric",
            "document_number": RIC_A,
            "role": "carer",
            "starts_on": "2026-09-01",
        },
    )
    assert refused.status_code == 200 and "无犯罪记录证明" in refused.content.decode()
    added = client.post(
        base + "add/",
        {
            "name": "张保育",
            "document_type": "ric",
            "document_number": RIC_A,
            "role": "carer",
            "starts_on": "2026-09-01",
            "police_station": "凤城派出所",
            "ncr_issued_on": "2026-08-01",
        },
    )
    employment = Employment.objects.get()
    assert added.status_code == 302 and added["Location"] == f"{base}people/{employment.person_id}/"
    roster = client.get(base).content.decode()
    assert "1101**********002X" in roster and RIC_A not in roster and "无有效证书" in roster
    person_url = f"{base}people/{employment.person_id}/"
    shown = client.post(person_url, {"action": "document"})  # the full number, by POST, recorded
    assert RIC_A in shown.content.decode() and shown["Cache-Control"] == "private, no-store"
    assert RIC_A not in client.get(person_url).content.decode()
    assert DocumentView.objects.filter(viewer=places["sun_operator"]).count() == 1
    saved = client.post(
        person_url,
        {
            "action": "add",
            "kind": "health-check",
            "health-check-checked_on": TODAY.isoformat(),
            "health-check-examined_by": "清城区妇幼保健院",
            "health-check-result": "fit",
            "health-check-valid_until": (TODAY + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert saved.status_code == 302
    assert "需要更新的健康检查和证书" in client.get(base).content.decode()  # the list of what to renew
    bad = client.post(
        person_url,
        {
            "action": "add",
            "kind": "certificate",
            "certificate-certificate_type": CertificateType.objects.get(code="baoyushi").pk,
            "certificate-number": "A1",
            "certificate-issuer": "人社局",
            "certificate-issued_on": "2026-01-01",
            "certificate-expires_on": "2025-01-01",
        },
    )
    assert bad.status_code == 200 and "证书有效期不能早于发证日期" in bad.content.decode()
    confirm = client.get(person_url + "?end=1").content.decode()
    assert "确认为张保育办理离职" in confirm
    ended = client.post(
        person_url, {"action": "end", "employment": employment.pk, "ends_on": TODAY.isoformat()}
    )
    assert ended.status_code == 302
    employment.refresh_from_db()
    assert employment.ends_on == TODAY
    # Ended by mistake: undone from the person's page, while nobody else took the carer on.
    assert "撤销离职" in client.get(person_url).content.decode()
    assert client.post(person_url, {"action": "reopen", "employment": employment.pk}).status_code == 302
    employment.refresh_from_db()
    assert employment.ends_on is None
    client.post(person_url, {"action": "end", "employment": employment.pk, "ends_on": TODAY.isoformat()})
    employ(places, "moon", number=RIC_A)  # now a carer at moon
    refused = client.post(person_url, {"action": "reopen", "employment": employment.pk}, follow=True)
    assert "另一机构" in refused.content.decode()
    employment.refresh_from_db()
    assert employment.ends_on == TODAY
    client.force_login(places["moon_operator"])
    assert client.get(base).status_code == 404
    assert client.get(person_url).status_code == 404


def test_the_bureau_filters_exports_and_reads_the_certification_rate(client, places):
    roster_of(places, "sun", 2)
    employ(places, "sun", number=RIC_A)  # a carer without certificate or health check
    employ(places, "star", number=ric_number(900), name="清新保育")
    client.force_login(places["reviewer_441802"])
    missing = client.get("/admin/workforce/employment/?certified=no").content.decode()
    assert "张保育" in missing and "员工100" not in missing
    expired = client.get("/admin/workforce/employment/?health=expired").content.decode()
    assert "张保育" in expired and "员工100" not in expired
    due = client.get("/admin/workforce/employment/?health=due").content.decode()
    assert "员工100" in due and "张保育" not in due
    export = client.get("/admin/workforce/employment/export.xlsx?certified=no")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "张保育" and rows[1][1] == "1101**********002X"
    rate = client.get("/admin/workforce/employment/certification/").content.decode()
    assert "67%" in rate and "清新保育" not in rate  # 2 of 3 carers in this county
    panel = client.get(f"/admin/registry/institution/{places['sun'].pk}/change/").content.decode()
    assert "持证率67%" in panel and "在岗3人" in panel


def test_a_filing_takes_its_staff_counts_from_the_register(client, places):
    institution, operator = places["sun"], places["sun_operator"]
    draft = complete_draft(institution, operator)
    client.force_login(operator)
    page = client.get(f"/portal/filings/{draft.pk}/").content.decode()
    assert "录入名册后，人数将自动取自名册" in page
    roster_of(places, "sun", 2)
    employ(places, "sun", number=RIC_A, role="security", name="吴保安")
    page = client.get(f"/portal/filings/{draft.pk}/").content.decode()
    assert "取自从业人员名册" in page
    filing = filing_submit(filing=draft, acting_user=operator)
    assert filing.staff_from_register
    assert (filing.staff_carers, filing.staff_security, filing.staff_health, filing.staff_management) == (
        2,
        1,
        0,
        0,
    )
    assert {f["code"] for f in filing.findings} >= {
        "health_staff"
    }  # the standard asks for a health staff member


def test_public_security_sees_security_staff_and_banned_people_without_health_data(client, places, regions):
    from registry.roles import Role
    from tests.factories import AuthorityFactory, StaffFactory
    from workforce.services import ban_record

    police = StaffFactory(
        authority=AuthorityFactory(kind="public_security", region=regions["441802"]),
        role=Role.PUBLIC_SECURITY,
    )
    employ(places, "sun", number=ric_number(1), role="security", name="吴保安")
    employ(places, "sun", number=ric_number(2), role="carer", name="林保育")
    employ(places, "sun", number=RIC_A, role="cook", name="赵某")
    ban_record(
        document_type="ric",
        document_number=RIC_A,
        name="赵某",
        reason="虐童",
        decided_by_body="法院",
        decided_on=TODAY,
        lifetime=True,
        until=None,
        acting_user=police,
    )
    client.force_login(police)
    listed = client.get("/admin/workforce/employment/").content.decode()
    assert "吴保安" in listed and "赵某" in listed and "林保育" not in listed
    assert "持证率" not in listed and "健康检查" not in listed
    assert client.get("/admin/workforce/employment/certification/").status_code == 403
    export = client.get("/admin/workforce/employment/export.xlsx")
    header = next(
        load_workbook(io.BytesIO(b"".join(export.streaming_content)))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert "健康检查有效期至" not in header and "证书" not in header
