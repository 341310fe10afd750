"""The plan import: a dry run reports every bad row (row, column, message) and writes nothing; a real
import writes every row or none."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from conference.excel import read_plan_sheet
from conference.models import Task
from conference.services import plan_import, plans

from .conftest import K

pytestmark = pytest.mark.django_db

HEADER = ["事项", "牵头单位", "责任单位", "完成时限"]
GOOD = [
    [
        "加强婴幼儿健康管理。各级妇幼保健机构按照职责开展指导。",
        "市health",
        "市education、市finance",
        datetime.date(2026, 12, 31),
    ],
    ["保障托育服务用地。", "各县市区，市finance", "市civil_affairs；市education", "2026-10-01"],
    ["落实税费优惠政策。", "十堰市education局", "", "2027年3月31日"],
]


def sheet(rows, header=True) -> bytes:
    workbook = Workbook()
    if header:
        workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(content: bytes):
    return read_plan_sheet(io.BytesIO(content))


def test_a_good_sheet_is_previewed_then_imported(shiyan):
    rows = rows_of(sheet(GOOD))
    preview = plan_import(conference=shiyan.conference, rows=rows, dry_run=True, acting_user=shiyan.office)
    assert preview.ok and len(preview.rows) == 3 and Task.objects.count() == 0

    report = plan_import(conference=shiyan.conference, rows=rows, dry_run=False, acting_user=shiyan.office)
    assert report.created == 3
    first, second, third = Task.objects.order_by("pk")
    assert first.title == "加强婴幼儿健康管理" and first.lead_unit == shiyan.units[K.HEALTH]
    assert set(first.responsible_units.all()) == {shiyan.units[K.EDUCATION], shiyan.units[K.FINANCE]}
    assert second.lead_unit == shiyan.units[K.FINANCE] and second.other_parties == "各县市区"
    assert set(second.responsible_units.all()) == {shiyan.units[K.CIVIL_AFFAIRS], shiyan.units[K.EDUCATION]}
    assert second.due_on == datetime.date(2026, 10, 1)
    assert third.lead_unit == shiyan.units[K.EDUCATION]  # matched by the authority's full name
    assert third.due_on == datetime.date(2027, 3, 31)

    again = plan_import(conference=shiyan.conference, rows=rows, dry_run=True, acting_user=shiyan.office)
    assert {e.row for e in again.errors} == {2, 3, 4}  # already imported: nothing twice


def test_the_dry_run_reports_every_bad_row_and_writes_nothing(shiyan):
    bad = [
        GOOD[0],
        ["", "市health", "", "2026-12-31"],
        ["事项二。", "市公安局", "市education、市不存在局", "2026-12-31"],
        ["事项三。", "市health", "", "明年"],
        ["", "", "", ""],  # blank rows are skipped
        ["事项四。", "", "市education", "2026-13-01"],
        ["加强婴幼儿健康管理。重复。", "市health", "", "2026-12-31"],
    ]
    rows = rows_of(sheet(bad))
    for dry_run in (True, False):
        report = plan_import(
            conference=shiyan.conference, rows=rows, dry_run=dry_run, acting_user=shiyan.office
        )
        found = [(e.row, e.column[0], e.message) for e in report.errors]
        assert [(row, column) for row, column, _m in found] == [
            (3, "A"),
            (4, "B"),
            (4, "C"),
            (5, "D"),
            (7, "B"),
            (7, "D"),
            (8, "A"),
        ]
        assert "市公安局" in found[1][2] and "市不存在局" in found[2][2] and "2" in found[6][2]
        assert Task.objects.count() == 0


def test_the_real_import_is_atomic(shiyan, monkeypatch):
    calls = []
    real = plans.task_create

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(plans, "task_create", failing)  # as `plan_import` looks it up
    with pytest.raises(RuntimeError):
        plan_import(
            conference=shiyan.conference, rows=rows_of(sheet(GOOD)), dry_run=False, acting_user=shiyan.office
        )
    assert Task.objects.count() == 0


def test_only_the_office_imports(shiyan, qingyuan):
    rows = rows_of(sheet(GOOD))
    for user in (shiyan.liaison[K.HEALTH], qingyuan.office):
        with pytest.raises(PermissionDenied):
            plan_import(conference=shiyan.conference, rows=rows, dry_run=True, acting_user=user)


def test_the_import_page_previews_then_imports(client, shiyan):
    url = f"/admin/conference/conference/{shiyan.conference.pk}/import/"
    client.force_login(shiyan.liaison[K.HEALTH])
    assert client.get(url).status_code == 403

    client.force_login(shiyan.office)
    bad = SimpleUploadedFile("plan.xlsx", sheet([*GOOD, ["事项。", "市公安局", "", "2026-12-31"]]))
    page = client.post(url, {"sheet": bad}).content.decode()
    assert "市公安局" in page and 'name="confirm"' not in page
    assert client.post(url, {"confirm": "1"}).status_code == 200 and Task.objects.count() == 0

    good = SimpleUploadedFile("plan.xlsx", sheet(GOOD))
    page = client.post(url, {"sheet": good}).content.decode()
    assert 'name="confirm"' in page and Task.objects.count() == 0
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and Task.objects.count() == 3

    not_excel = SimpleUploadedFile("plan.xlsx", b"not a workbook")
    assert "xlsx" in client.post(url, {"sheet": not_excel}).content.decode()
