"""The filing receipt as a PDF, and its verification code that anyone can check on the public page."""

import datetime
import re

import pytest
from django.utils import timezone

from filing.services import filing_accept, termination_confirm, termination_submit
from tests.factories import UserFactory

from .conftest import reviewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(submitted, reviewer):
    return filing_accept(filing=submitted, acting_user=reviewer)


def test_an_accepted_filing_has_a_verification_code(accepted):
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{12}", accepted.verification_code)


def test_the_operator_and_the_bureau_download_the_pdf_and_nobody_else(client, regions, accepted, operator):
    url = f"/filing/receipts/{accepted.pk}.pdf?download=1"
    for person in (operator, reviewer_of(regions, "441802")):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-") and b"STSong-Light" in response.content
        assert f'filename="{accepted.receipt_number}.pdf"' in response["Content-Disposition"]
    for stranger in (reviewer_of(regions, "441803"), UserFactory()):
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_the_printed_receipt_names_its_code_and_where_to_check_it(client, accepted, operator, settings):
    settings.PLATFORM_URL = "https://tuoyu.example.gov.cn"
    client.force_login(operator)
    page = client.get(f"/filing/receipts/{accepted.pk}/").content.decode()
    assert accepted.verification_code in page
    assert f"https://tuoyu.example.gov.cn/public/receipts/{accepted.verification_code}/" in page
    assert f"/filing/receipts/{accepted.pk}.pdf" in page


def test_anyone_checks_a_receipt_and_sees_only_public_facts(client, accepted):
    response = client.get(f"/public/receipts/{accepted.verification_code.lower()}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "回执真实有效" in page and accepted.receipt_number in page and accepted.institution.name in page
    for private in (accepted.legal_representative, accepted.contact_phone, accepted.address):
        assert private not in page

    missing = client.get("/public/receipts/AAAAAAAAAAAA/")
    assert missing.status_code == 404 and "未找到该验证码对应的回执" in missing.content.decode()


def test_a_receipt_of_a_terminated_filing_says_so(client, accepted, operator, reviewer):
    termination = termination_submit(
        institution=accepted.institution,
        planned_on=timezone.localdate(),
        children_plan="转入附近机构",
        staff_plan="依法解除劳动合同",
        acting_user=operator,
    )
    termination_confirm(termination=termination, acting_user=reviewer)
    page = client.get(f"/public/receipts/{accepted.verification_code}/").content.decode()
    assert "备案已终止" in page and "回执真实有效" not in page


def test_a_receipt_of_a_filing_ending_later_says_when(client, accepted, operator, reviewer):
    termination = termination_submit(
        institution=accepted.institution,
        planned_on=timezone.localdate() + datetime.timedelta(days=30),
        children_plan="转入附近机构",
        staff_plan="依法解除劳动合同",
        acting_user=operator,
    )
    termination_confirm(termination=termination, acting_user=reviewer)
    page = client.get(f"/public/receipts/{accepted.verification_code}/").content.decode()
    assert "已办理终止备案" in page and termination.planned_on.isoformat() in page


def test_a_code_typed_by_hand_finds_the_receipt(client, accepted):
    form = client.get("/public/receipts/").content.decode()
    assert 'name="code"' in form
    found = client.get("/public/receipts/", {"code": f" {accepted.verification_code.lower()} "})
    assert found["Location"] == f"/public/receipts/{accepted.verification_code}/"
    missing = client.get("/public/receipts/NOTACODE0000/").content.decode()
    assert 'name="code"' in missing  # typed wrong: type it again here
