"""Excel in and out: reading a plan sheet, writing a bulletin."""

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from registry.spreadsheets import append

from .models import Bulletin
from .services import as_date


class SheetError(Exception):
    pass


def read_plan_sheet(upload) -> list[tuple[int, tuple[Any, ...]]]:
    """The rows of the first sheet as (row number, first four cells). A first row whose due-date cell is
    not a date is a header and is skipped."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SheetError(_("This is not an Excel (.xlsx) file.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [
            (number, tuple(values[:4])) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        workbook.close()
    if rows:
        header = rows[0][1]
        if as_date(header[3] if len(header) > 3 else None) is None:
            rows = rows[1:]
    return rows


def plan_template() -> bytes:
    """An empty plan sheet with its header, for the office to fill in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Plan")
    append(sheet, [_("item"), _("lead unit"), _("responsible units"), _("due date")], font=Font(bold=True))
    for letter, width in zip("ABCD", (60, 20, 40, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    """The bulletin as a workbook: progress by unit, overdue tasks, tasks done since the last bulletin."""
    snap = bulletin.snapshot
    workbook = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet_with(sheet, title, header, rows, widths):
        sheet.title = title
        append(
            sheet,
            [f"{snap.get('conference', '')} {bulletin}（{snap.get('as_of', '')}）"],
            font=Font(bold=True, size=13),
        )
        append(sheet, header, font=bold)
        for row in rows:
            append(sheet, row, alignment=wrap)
        for letter, width in zip("ABCDEFG", widths, strict=False):
            sheet.column_dimensions[letter].width = width

    sheet_with(
        workbook.active,
        _("Progress by unit"),
        [
            _("member unit"),
            _("tasks led"),
            _("Open"),
            _("In progress"),
            _("Done"),
            pgettext("task", "Cancelled"),
            _("Overdue"),
        ],
        [
            [
                u["unit"] or _("Other parties"),
                u["total"],
                u["open"],
                u["in_progress"],
                u["done"],
                u["cancelled"],
                u["overdue"],
            ]
            for u in snap.get("units", [])
        ],
        (24, 10, 10, 10, 10, 10, 10),
    )
    sheet_with(
        workbook.create_sheet(),
        _("Overdue"),
        [_("reference"), _("task"), _("lead unit"), _("responsible units"), _("due on"), _("days overdue")],
        [
            [t["reference"], t["title"], t["lead"], t["responsible"], t["due_on"], t["days_late"]]
            for t in snap.get("overdue", [])
        ],
        (10, 60, 18, 40, 12, 10),
    )
    sheet_with(
        workbook.create_sheet(),
        _("Done since last bulletin"),
        [_("reference"), _("task"), _("lead unit"), _("responsible units"), _("due on"), _("marked done")],
        [
            [t["reference"], t["title"], t["lead"], t["responsible"], t["due_on"], t["done_at"]]
            for t in snap.get("done", [])
        ],
        (10, 60, 18, 40, 12, 12),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
