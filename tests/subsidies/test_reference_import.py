"""Reference figures from Excel: the check is a dry run that saves nothing and lists every row's problems;
the import writes every checked row or none; a county clerk imports only their jurisdiction's figures."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from subsidies.models import ReferenceYear

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def workbook(*rows):
    book = Workbook()
    book.active.append(["地区代码", "年度", "全体", "城镇", "农村", "婴幼儿", "人口", "来源"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("figures.xlsx", out.getvalue())


def test_the_check_saves_nothing_and_names_each_problem(client, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:subsidies_referenceyear_import")
    page = client.post(
        url,
        {
            "action": "check",
            "sheet": workbook(
                ["441802", YEAR - 1, 60000, 70000, 40000, 1000, 100000, "统计公报"],
                ["441803", YEAR - 1, 1, None, None, None, None, ""],  # a neighbour: not theirs
                ["999999", 1990, -5, "many", None, None, None, ""],
                ["441802", YEAR - 1, 1, None, None, None, None, ""],  # the same region and year again
                ["441802", YEAR - 2, None, None, None, None, None, ""],  # no figure
            ),
        },
    )
    assert page.status_code == 200 and not ReferenceYear.objects.exists()
    problems = {row["number"]: " ".join(row["errors"]) for row in page.context["report"].problems}
    assert set(problems) == {3, 4, 5, 6}
    assert "管辖" in problems[3]
    assert "999999" in problems[4] and "2000" in problems[4] and "全体居民人均可支配收入" in problems[4]
    assert "第 2 行" in problems[5]  # 与第 2 行重复
    assert "没有" in problems[6]
    assert not page.context["token"]


def test_a_checked_workbook_is_imported_whole(client, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:subsidies_referenceyear_import")
    checked = client.post(
        url,
        {
            "action": "check",
            "sheet": workbook(["441802", YEAR - 1, 60000.0, None, None, 1000, 100000, "公报"]),
        },
    )
    assert checked.context["report"].ok and not ReferenceYear.objects.exists()
    done = client.post(url, {"action": "import", "token": checked.context["token"]})
    assert done.status_code == 302
    row = ReferenceYear.objects.get()
    assert (row.region_id, row.year, row.income_all, row.children_under_3, row.updated_by) == (
        "441802",
        YEAR - 1,
        60000,
        1000,
        reviewer,
    )
    assert client.post(url, {"action": "import", "token": checked.context["token"]}).context["report"].problem
    template = client.get(reverse("admin:subsidies_referenceyear_template"))
    rows = list(load_workbook(io.BytesIO(b"".join(template.streaming_content))).active.values)
    assert rows[0][0] == "行政区划代码" and rows[1][0] == "441802"
