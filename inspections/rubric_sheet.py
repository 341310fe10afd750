"""A rubric as a workbook: its requirements on the first sheet, its grade bands on the second. The export
of a version is the template of the next one: download it, edit it in Excel, import it as a new version.
Columns are read by position; the header row is for people."""

import io
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from registry.spreadsheets import append

from .models import Prefill, Rubric

MAX_ROWS = 1000

REQUIREMENT_HEADERS = [
    gettext_lazy("dimension code"),
    gettext_lazy("dimension"),
    gettext_lazy("requirement code"),
    gettext_lazy("requirement"),
    gettext_lazy("how to verify"),
    gettext_lazy("points"),
    gettext_lazy("veto requirement (yes/no)"),
    gettext_lazy("source"),
    gettext_lazy("prefilled from"),
]
REQUIREMENT_KEYS = [
    "dimension_code",
    "dimension_name",
    "code",
    "text",
    "how_to_verify",
    "points",
    "veto",
    "source",
    "prefill",
]
BAND_HEADERS = [
    gettext_lazy("grade"),
    gettext_lazy("from (% of the points)"),
    gettext_lazy("a pass (yes/no)"),
]
BAND_KEYS = ["grade", "min_percent", "passing"]


class SheetError(Exception):
    pass


def export(rubric: Rubric) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Requirements")
    append(sheet, [str(h) for h in REQUIREMENT_HEADERS], font=Font(bold=True))
    for requirement in rubric.requirements.select_related("dimension").order_by("position", "code"):
        append(
            sheet,
            [
                requirement.dimension.code,
                requirement.dimension.name,
                requirement.code,
                requirement.text,
                requirement.how_to_verify,
                float(requirement.points),
                _("yes") if requirement.veto else _("no"),
                requirement.source,
                requirement.get_prefill_display() if requirement.prefill else "",
            ],
        )
    for letter, width in zip("ABCDEFGHI", (10, 12, 10, 60, 30, 8, 10, 30, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    bands = workbook.create_sheet(_("Grades"))
    append(bands, [str(h) for h in BAND_HEADERS], font=Font(bold=True))
    for band in rubric.bands.order_by("-min_percent"):
        append(bands, [band.grade, float(band.min_percent), _("yes") if band.passing else _("no")])
    values = workbook.create_sheet(_("Accepted values"))
    append(values, [str(gettext_lazy("prefilled from"))], font=Font(bold=True))
    for _value, label in Prefill.choices:
        append(values, [str(label)])
    values.column_dimensions["A"].width = 44
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(sheet, keys) -> list[tuple[int, dict]]:
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        cells = list(values[: len(keys)]) + [None] * (len(keys) - len(values))
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        rows.append((number, dict(zip(keys, cells, strict=True))))
        if len(rows) > MAX_ROWS:
            raise SheetError(_("At most %(max)d rows in one import.") % {"max": MAX_ROWS})
    return rows


def read(upload) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]]]:
    """(requirement rows, band rows), each as (row number, {key: cell})."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SheetError(
            _("This is not an Excel (.xlsx) file. Download the rubric as Excel and edit that.")
        ) from exc
    try:
        if len(workbook.worksheets) < 2:
            raise SheetError(_("The workbook needs two sheets: the requirements, then the grades."))
        requirements = _rows(workbook.worksheets[0], REQUIREMENT_KEYS)
        bands = _rows(workbook.worksheets[1], BAND_KEYS)
    finally:
        workbook.close()
    if not requirements:
        raise SheetError(_("The first sheet has no requirements below its header."))
    if not bands:
        raise SheetError(_("The second sheet has no grades below its header."))
    return requirements, bands
