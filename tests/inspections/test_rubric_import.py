"""A rubric edited in Excel: downloaded, changed, checked (a dry run that saves nothing and names each row's
problems) and imported as the next version, which never changes an assessment already under way."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from inspections import rubric_sheet
from inspections.models import GradeBand, Rubric, RubricDimension, RubricRequirement
from inspections.services.rubrics import rubric_import, rubric_new_version
from registry.roles import Role
from tests.factories import AuthorityFactory, StaffFactory

from .conftest import open_round

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def county_rubric(world):
    national = Rubric.objects.get(region=None, code="wst821", current=True)
    return rubric_new_version(rubric=national, acting_user=world.health[0], region=world.regions["441802"])


def workbook(rubric, edit=None) -> io.BytesIO:
    book = load_workbook(io.BytesIO(rubric_sheet.export(rubric)))
    if edit:
        edit(book.worksheets[0], book.worksheets[1])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def counts():
    return [m.objects.count() for m in (Rubric, RubricDimension, RubricRequirement, GradeBand)]


def check(rubric, user, edit=None, dry_run=True):
    requirements, bands = rubric_sheet.read(workbook(rubric, edit))
    return rubric_import(
        rubric=rubric, requirements=requirements, bands=bands, acting_user=user, dry_run=dry_run
    )


def add_dimension(requirements, bands):
    requirements["F4"] = 2  # 1.3 now worth 2 (was 3)
    requirements.append(
        ["D8", "托育特色", "8.1", "开展中华优秀传统文化启蒙", "查活动记录", 1, "否", "本地", ""]
    )
    bands["B4"] = 55  # 合格 from 55 %


def test_the_export_reads_back_as_the_same_rubric(county_rubric, world):
    report = check(county_rubric, world.health[0])
    assert report.ok and report.total == 100 and len(report.dimensions) == 7
    row = next(r for r in report.requirements if r.code == "2.1")
    assert (row.values["veto"], row.values["prefill"], row.values["points"]) == (True, "staff_health", 4)


def test_the_dry_run_saves_nothing_and_the_import_makes_the_next_version(county_rubric, world, assessors):
    under_way = open_round(world, assessors["body"], rubric=county_rubric).assessments.get()
    before = counts()
    report = check(county_rubric, world.health[0], add_dimension)
    assert report.ok and report.saved is None and report.total == 100
    assert counts() == before
    report = check(county_rubric, world.health[0], add_dimension, dry_run=False)
    new = report.saved
    county_rubric.refresh_from_db()
    assert (new.version, new.current, county_rubric.current) == (county_rubric.version + 1, True, False)
    assert new.region_id == "441802" and new.requirements.count() == 27
    assert new.requirements.get(code="1.3").points == 2
    assert new.requirements.get(code="8.1").dimension.name == "托育特色"
    assert new.bands.get(grade="合格").min_percent == 55
    assert under_way.items.get(code="1.3").points == 3 and not under_way.items.filter(code="8.1").exists()


def test_each_problem_is_reported_by_sheet_and_row_and_nothing_is_saved(county_rubric, world):
    def spoil(requirements, bands):
        requirements["F2"] = "三分"
        requirements["C4"] = "1.2"  # a second 1.2
        requirements["G5"] = "也许"
        requirements["I6"] = "天气预报"
        requirements["D7"] = None
        bands["A3"] = "优秀"
        bands["B5"] = 150

    before = counts()
    report = check(county_rubric, world.health[0], spoil, dry_run=False)
    assert not report.ok and report.saved is None and counts() == before
    problems = {(row.sheet, row.number): " ".join(row.errors) for row in report.problems}
    assert "分值" in problems[("评估要求", 2)]
    assert "第 3 行" in problems[("评估要求", 4)]
    assert "否决项" in problems[("评估要求", 5)]
    assert "天气预报" in problems[("评估要求", 6)]
    assert "为空" in problems[("评估要求", 7)]
    assert "第 2 行" in problems[("等级", 3)]
    assert "0 到 100" in problems[("等级", 5)]


def test_a_rubric_as_a_whole_needs_points_and_a_grade_from_zero(county_rubric, world):
    def no_floor(requirements, bands):
        bands.delete_rows(5)

    report = check(county_rubric, world.health[0], no_floor)
    assert not report.ok and report.errors and "最低得分率为 0" in report.errors[0]


def test_not_a_workbook_and_other_jurisdictions_are_refused(county_rubric, world):
    with pytest.raises(rubric_sheet.SheetError):
        rubric_sheet.read(io.BytesIO(b"%PDF-1.4 not a workbook"))
    elsewhere = StaffFactory(
        username="health-420302",
        authority=AuthorityFactory(region=world.regions["420302"]),
        role=Role.COUNTY_HEALTH,
    )
    with pytest.raises(PermissionDenied):
        check(county_rubric, elsewhere)  # even a dry run


def test_the_admin_checks_keeps_the_workbook_and_imports_it(client, county_rubric, world):
    client.force_login(world.health[0])
    change = client.get(reverse("admin:inspections_rubric_change", args=[county_rubric.pk]))
    import_url = reverse("admin:inspections_rubric_import", args=[county_rubric.pk])
    assert import_url in change.text
    exported = client.get(reverse("admin:inspections_rubric_export", args=[county_rubric.pk]))
    assert exported["Content-Type"] == XLSX
    upload = SimpleUploadedFile("rubric.xlsx", workbook(county_rubric, add_dimension).read(), XLSX)
    before = counts()
    page = client.post(import_url, {"sheet": upload, "action": "check"})
    assert page.status_code == 200 and page.context["report"].ok and page.context["token"]
    assert "尚未保存" in page.text and counts() == before
    done = client.post(import_url, {"token": page.context["token"], "action": "import"})
    new = Rubric.objects.get(region_id="441802", code="wst821", current=True)
    assert done.status_code == 302 and done["Location"].endswith(f"/{new.pk}/change/")
    assert new.requirements.filter(code="8.1").exists()
    empty = client.post(import_url, {"action": "check"})
    assert empty.context["problem"]
