"""The roster import: a dry run reports every bad row and saves nothing; an import saves all rows in one
step or none; the template reads back."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from notifications.models import Notification
from registry.roles import Role
from tests.factories import AuthorityFactory, StaffFactory
from workforce import roster_sheet
from workforce.models import Certificate, Employment, HealthCheck, NoCriminalRecord, Person
from workforce.services import ban_record, roster_import

from .conftest import RIC_A, START, employ, ric_number

pytestmark = pytest.mark.django_db


def good_row(serial, role="保育人员", **changes):
    row = {
        "name": f"员工{serial}",
        "document_type": "",
        "document_number": ric_number(serial),
        "role": role,
        "starts_on": "2026-09-01",
        "phone": "13800000000",
        "police_station": "凤城派出所",
        "ncr_issued_on": datetime.date(2026, 8, 1),
        "certificate_type": "保育师职业技能等级证书",
        "certificate_number": f"C{serial}",
        "certificate_level": "四级/中级工",
        "certificate_issuer": "清远市人社局",
        "certificate_issued_on": "2025/6/1",
        "certificate_expires_on": None,
        "health_checked_on": "2026年8月1日",
        "health_examined_by": "清城区妇幼保健院",
        "health_valid_until": "2027-07-31",
    }
    row.update(changes)
    return row


def workbook(rows) -> SimpleUploadedFile:
    """The downloaded template, filled in as an operator would."""
    book = load_workbook(io.BytesIO(roster_sheet.template(["保育师职业技能等级证书"])))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append([row.get(column.key) for column in roster_sheet.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def run(places, rows, *, dry_run, key="sun"):
    return roster_import(
        institution=places[key],
        rows=roster_sheet.read(workbook(rows)),
        acting_user=places[f"{key}_operator"],
        dry_run=dry_run,
    )


def test_a_dry_run_reports_each_bad_row_and_saves_nothing(places):
    rows = [
        good_row(1),
        good_row(2, document_number="441802199001010000"),  # wrong check character
        good_row(3, role="园丁"),
        good_row(4, starts_on="明天"),
        good_row(5, police_station="", ncr_issued_on=None),
        good_row(6, certificate_type="驾驶证"),
        good_row(7, health_valid_until="2026-07-01"),
        good_row(1),  # the first row again
        good_row(8, name=""),
    ]
    report = run(places, rows, dry_run=True)
    problems = {row.number: " ".join(row.errors) for row in report.problems}
    assert set(problems) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "身份证件号码" in problems[3]
    assert "园丁" in problems[4]
    assert "明天" in problems[5]
    assert "无犯罪记录证明" in problems[6]
    assert "驾驶证" in problems[7]
    assert "健康" in problems[8]
    assert "两次" in problems[9] or "重复" in problems[9]
    assert "姓名" in problems[10]
    assert report.ok == 1 and not report.saved
    assert not Person.objects.exists() and not Employment.objects.exists()
    assert not Notification.objects.exists()


def test_an_import_saves_every_row_or_none(places):
    report = run(places, [good_row(1), good_row(2, role="bogus")], dry_run=False)
    assert not report.saved and not Employment.objects.exists()
    report = run(
        places, [good_row(1), good_row(2, role="卫生保健人员"), good_row(3, role="cook")], dry_run=False
    )
    assert report.saved
    assert Employment.objects.filter(institution=places["sun"]).count() == 3
    assert NoCriminalRecord.objects.count() == 3 and HealthCheck.objects.count() == 3
    assert Certificate.objects.count() == 3
    person = Person.objects.get(name="员工1")
    assert person.document_masked.startswith("4418") and ric_number(1) not in person.document_sealed
    assert person.history.count() == 1  # the import is in the history like any other change
    # The master sheet again, with one newcomer: those already here are left as they are.
    again = run(places, [good_row(1), good_row(2, role="卫生保健人员"), good_row(4)], dry_run=False)
    assert again.saved and not again.problems
    assert [row.number for row in again.skipped] == [2, 3] and [row.number for row in again.new] == [4]
    assert Employment.objects.filter(institution=places["sun"]).count() == 4
    assert HealthCheck.objects.count() == 4  # the skipped rows' records are not added twice


def test_an_import_refuses_banned_people_and_carers_employed_elsewhere(places, regions):
    employ(places, "moon", number=RIC_A)
    police = StaffFactory(
        authority=AuthorityFactory(kind="public_security", region=regions["441802"]),
        role=Role.PUBLIC_SECURITY,
    )
    ban_record(
        document_type="ric",
        document_number=ric_number(9),
        name="赵某",
        reason="虐童",
        decided_by_body="法院",
        decided_on=START,
        lifetime=True,
        until=None,
        acting_user=police,
    )
    rows = [good_row(1), good_row(9, role="炊事人员"), good_row(10, document_number=RIC_A)]
    report = run(places, rows, dry_run=False)
    problems = {row.number: " ".join(row.errors) for row in report.problems}
    assert set(problems) == {3, 4}
    assert "禁" in problems[3]
    assert "另一机构" in problems[4] and "moon" not in problems[4]
    assert not report.saved and not Employment.objects.filter(institution=places["sun"]).exists()
    told = Notification.objects.filter(recipient=places["reviewer_441802"])
    assert told.filter(key__startswith="ban-hire").exists()
    assert "moon托育有限公司" in told.get(key__startswith="carer-elsewhere").body


def test_the_template_keeps_numbers_as_text_and_a_number_excel_rounded_is_named(places):
    sheet = load_workbook(io.BytesIO(roster_sheet.template([]))).worksheets[0]
    assert sheet.column_dimensions["C"].number_format == "@"  # 18 digits stay 18 digits
    report = run(places, [good_row(1, document_number=441802199905054000)], dry_run=True)
    assert "存成了数字" in " ".join(report.problems[0].errors)


def test_the_sheet_is_read_with_clear_errors(places):
    with pytest.raises(roster_sheet.SheetError):
        roster_sheet.read(SimpleUploadedFile("roster.xlsx", b"not a workbook"))
    with pytest.raises(roster_sheet.SheetError):
        roster_sheet.read(workbook([]))


def test_the_import_page_checks_then_imports_without_a_second_upload(client, places):
    client.force_login(places["sun_operator"])
    url = f"/portal/staff/institutions/{places['sun'].pk}/import/"
    template = client.get(url + "template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    checked = client.post(url, {"action": "check", "sheet": workbook([good_row(1), good_row(2)])})
    page = checked.content.decode()
    assert checked.status_code == 200 and "没有问题" in page and not Employment.objects.exists()
    token = checked.context["token"]
    imported = client.post(url, {"action": "import", "token": token})
    assert imported.status_code == 302 and Employment.objects.count() == 2
    assert (
        client.post(url, {"action": "import", "token": token}).status_code == 200
    )  # used up: asks for the file
    client.force_login(places["moon_operator"])
    assert client.get(url).status_code == 404
