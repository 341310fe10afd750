"""The staff register as people use it, in headless Chromium: an operator imports a roster whose sheet has
one bad row, reads what is wrong, fixes the sheet, imports it, and the county bureau reads the
certification rate."""

import io

import pytest
from openpyxl import load_workbook

from registry.roles import Role
from registry.services import operator_grant, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory
from tests.filing.conftest import push_institution
from tests.workforce.conftest import ric_number
from workforce import roster_sheet
from workforce.models import Employment

from .test_filing_flow import sign_in_admin, sign_in_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def row(serial, **changes):
    values = {
        "name": f"员工{serial}",
        "document_number": ric_number(serial),
        "role": "保育人员",
        "starts_on": "2026-09-01",
        "police_station": "凤城派出所",
        "ncr_issued_on": "2026-08-01",
        "health_checked_on": "2026-08-01",
        "health_examined_by": "清城区妇幼保健院",
        "health_valid_until": "2027-07-31",
    }
    if serial % 2:  # every other carer holds a certificate
        values.update(
            certificate_type="保育师职业技能等级证书",
            certificate_number=f"C{serial}",
            certificate_issuer="人社局",
            certificate_issued_on="2025-06-01",
        )
    values.update(changes)
    return values


def sheet(path, rows):
    book = load_workbook(io.BytesIO(roster_sheet.template(["保育师职业技能等级证书"])))
    for values in rows:
        book.worksheets[0].append([values.get(column.key) for column in roster_sheet.COLUMNS])
    book.save(path)
    return str(path)


def test_operator_imports_a_roster_with_a_bad_row_then_the_bureau_reads_the_rate(
    browser_page, regions, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    institution = push_institution(regions, name="清城区小海豚托育有限公司")
    roles_sync()
    operator = UserFactory(username="op")
    operator.set_password("Tuoyu-2026-pass")
    operator.save()
    operator_grant(user=operator, institution=institution)
    StaffFactory(
        username="reviewer", authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH
    )

    sign_in_portal(page, "op", "Tuoyu-2026-pass")
    page.click("text=从业人员")
    page.wait_for_selector("text=名册中尚无人员")
    page.click("text=导入花名册（Excel）")
    rows = [row(1), row(2), row(3, starts_on="九月一日"), row(4)]
    page.set_input_files("#id_sheet", sheet(tmp_path / "roster.xlsx", rows))
    page.click("button[value=check]")
    page.wait_for_selector("text=1行有问题")
    assert page.locator("#report tbody tr").count() == 1
    assert "九月一日" in page.locator("#report tbody tr").inner_text()
    assert not Employment.objects.exists()

    rows[2] = row(3)
    page.set_input_files("#id_sheet", sheet(tmp_path / "roster-fixed.xlsx", rows))
    page.click("button[value=check]")
    page.wait_for_selector("text=已检查4行：没有问题")
    page.click("text=导入这4行")
    page.wait_for_selector("text=已导入4名从业人员")
    assert Employment.objects.filter(institution=institution).count() == 4
    assert "50%" in page.locator(".facts").inner_text()  # 2 of 4 carers certified

    sign_in_admin(page, "reviewer")
    page.goto(f"{page.base_url}/admin/workforce/employment/certification/")
    table = page.locator("#result_list").inner_text()
    assert "清城区小海豚托育有限公司" in table and "50%" in table
    page.click("#result_list a")  # the two without a certificate
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 2
