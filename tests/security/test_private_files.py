"""Private files (operators' materials, receipts, monthly workbooks, conference attachments) answer exactly
as the admin page that lists them: every role × every file view × own and other jurisdiction."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conference import services as conference_services
from filing.models import MonthlyReport
from filing.services import filing_accept, filing_submit
from registry.models import Authority
from registry.roles import Role
from registry.services import operator_grant, roles_sync
from tests.conference.conftest import make_conference, make_task
from tests.factories import AuthorityFactory, StaffFactory, UserFactory
from tests.filing.conftest import complete_draft, push_institution

K = Authority.Kind
OK, HIDDEN, LOGIN, FORBIDDEN = 200, 404, 302, 403


def staff(regions, code, kind, role):
    return StaffFactory(authority=AuthorityFactory(kind=kind, region=regions[code]), role=role)


# who -> how to make them; the jurisdiction of the files is 清城区 (441802) in 清远市 (441800).
PEOPLE = {
    "county health, own county": lambda r: staff(r, "441802", K.HEALTH, Role.COUNTY_HEALTH),
    "county health, next county": lambda r: staff(r, "441803", K.HEALTH, Role.COUNTY_HEALTH),
    "city health, own city": lambda r: staff(r, "441800", K.HEALTH, Role.SUPERVISING_HEALTH),
    "city health, other city": lambda r: staff(r, "445300", K.HEALTH, Role.SUPERVISING_HEALTH),
    "bureau head only": lambda r: staff(r, "441802", K.HEALTH, Role.BUREAU_HEAD),
    "registration body, own county": lambda r: staff(
        r, "441802", K.MARKET_REGULATION, Role.REGISTRATION_BODY
    ),
    "registration body, own city": lambda r: staff(r, "441800", K.CIVIL_AFFAIRS, Role.REGISTRATION_BODY),
    "conference office, own city": lambda r: staff(r, "441800", K.HEALTH, Role.CONFERENCE_OFFICE),
    "conference liaison, own county": lambda r: staff(r, "441802", K.EDUCATION, Role.CONFERENCE_LIAISON),
    "superuser": lambda r: StaffFactory(is_superuser=True),
}

# view -> expected answer for each person; operators and the anonymous public are added below.
EXPECTED = {
    "material": {
        "county health, own county": OK,
        "city health, own city": OK,
        "superuser": OK,
    },
    "receipt": {
        "county health, own county": OK,
        "city health, own city": OK,
        "superuser": OK,
    },
    "workbook": {
        "county health, own county": OK,
        "city health, own city": OK,
        "superuser": OK,
    },
}
OPERATOR_EXPECTED = {"material": OK, "receipt": OK, "workbook": HIDDEN}


@pytest.fixture
def files(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    roles_sync()
    institution = push_institution(regions, "441802")
    operator = UserFactory(username="operator-own")
    operator_grant(user=operator, institution=institution)
    other = push_institution(regions, "441803")
    other_operator = UserFactory(username="operator-other")
    operator_grant(user=other_operator, institution=other)
    filing = filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
    reviewer = staff(regions, "441802", K.HEALTH, Role.COUNTY_HEALTH)
    filing = filing_accept(filing=filing, acting_user=reviewer)
    report = MonthlyReport.objects.create(
        region=regions["441802"], month=datetime.date(2026, 10, 1), level=MonthlyReport.Level.COUNTY
    )
    return {
        "urls": {
            "material": f"/filing/materials/{filing.materials.first().pk}/",
            "receipt": f"/filing/receipts/{filing.pk}/",
            "workbook": f"/filing/reports/{report.pk}/workbook.xlsx",
        },
        "operator, own institution": operator,
        "operator, other institution": other_operator,
    }


@pytest.mark.parametrize("view", sorted(EXPECTED))
@pytest.mark.parametrize("who", [*PEOPLE, "operator, own institution", "operator, other institution"])
def test_each_role_gets_a_private_file_only_where_the_admin_would_show_it(client, regions, files, view, who):
    person = files[who] if who.startswith("operator") else PEOPLE[who](regions)
    client.force_login(person)
    if who == "operator, own institution":
        expected = OPERATOR_EXPECTED[view]
    else:
        expected = EXPECTED[view].get(who, HIDDEN)
    response = client.get(files["urls"][view])
    assert response.status_code == expected, f"{who} → {view}"


@pytest.mark.parametrize("view", sorted(EXPECTED))
def test_the_public_is_sent_to_sign_in(client, files, view):
    response = client.get(files["urls"][view])
    assert response.status_code == LOGIN and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("office", OK),
        ("liaison of another unit", OK),
        ("county health of another city", FORBIDDEN),
        ("operator", LOGIN),
    ],
)
def test_a_progress_attachment_answers_as_the_task_page(client, regions, settings, tmp_path, who, expected):
    settings.MEDIA_ROOT = tmp_path / "media"
    ns = make_conference(regions, "420300")
    task = make_task(ns)
    report = conference_services.task_report_progress(
        task=task,
        text="已完成用地摸底。",
        acting_user=ns.liaison[K.EDUCATION],
        attachment=SimpleUploadedFile("progress.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    people = {
        "office": ns.office,
        "liaison of another unit": ns.liaison[K.FINANCE],
        "county health of another city": staff(regions, "441802", K.HEALTH, Role.COUNTY_HEALTH),
        "operator": UserFactory(),
    }
    client.force_login(people[who])
    response = client.get(f"/admin/conference/task/reports/{report.pk}/file/")
    assert response.status_code == expected
