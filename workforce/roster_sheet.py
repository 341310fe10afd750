"""The roster workbook: the template operators fill in, read back row by row. Columns are read by
position (the header row is for people); values are typed as the cells hold them or as text."""

import datetime
import functools
import io
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from registry.spreadsheets import append

from .models import DocumentType, StaffRole

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool = False


COLUMNS = [
    Column("name", pgettext_lazy("person", "name"), 10, True),
    Column("document_type", gettext_lazy("document type"), 16),
    Column("document_number", gettext_lazy("document number"), 22, True),
    Column("role", pgettext_lazy("staff", "role"), 14, True),
    Column("starts_on", gettext_lazy("employed from"), 12, True),
    Column("phone", gettext_lazy("phone"), 14),
    Column("police_station", gettext_lazy("no-criminal-record certificate: police station"), 24),
    Column("ncr_issued_on", gettext_lazy("no-criminal-record certificate: date"), 14),
    Column("certificate_type", gettext_lazy("certificate"), 24),
    Column("certificate_number", gettext_lazy("certificate number"), 18),
    Column("certificate_level", gettext_lazy("level"), 10),
    Column("certificate_issuer", pgettext_lazy("certificate", "issued by"), 18),
    Column("certificate_issued_on", gettext_lazy("issued on"), 12),
    Column("certificate_expires_on", gettext_lazy("certificate valid until"), 12),
    Column("health_checked_on", gettext_lazy("health check date"), 12),
    Column("health_examined_by", gettext_lazy("examined at"), 18),
    Column("health_valid_until", gettext_lazy("health certificate valid until"), 12),
]


class SheetError(Exception):
    pass


@functools.cache
def lookup(kind: str) -> dict[str, str]:
    """`choice_lookup` of the document types ("document_type") or the roles ("role"), built once."""
    return choice_lookup(DocumentType.choices if kind == "document_type" else StaffRole.choices)


def choice_lookup(choices) -> dict[str, str]:
    """Label (in Chinese and English) or value → value, compared without case or spaces."""
    found = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices:
                found[str(label).replace(" ", "").lower()] = value
                found[value.lower()] = value
    # The roles as the policies name them, so a sheet typed by hand reads too.
    for alias, value in (
        ("保育员", "carer"),
        ("育婴员", "carer"),
        ("保健医", "health"),
        ("保安", "security"),
        ("厨师", "cook"),
        ("炊事员", "cook"),
        ("园长", "management"),
        ("负责人", "management"),
    ):
        found.setdefault(alias, value)
    return found


def template(certificate_names: list[str]) -> bytes:
    """The empty roster with its header (identity numbers and phones as text, so Excel keeps every digit)
    and the accepted values on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Roster")
    append(sheet, [str(c.header) + (" *" if c.required else "") for c in COLUMNS], font=Font(bold=True))
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = column.width
    sheet.freeze_panes = "A2"
    for key in ("document_number", "phone", "certificate_number"):
        letter = sheet.cell(row=1, column=[c.key for c in COLUMNS].index(key) + 1).column_letter
        sheet.column_dimensions[letter].number_format = "@"
    values = workbook.create_sheet(_("Accepted values"))
    append(values, [_("document type"), pgettext("staff", "role"), _("certificate")], font=Font(bold=True))
    types = [str(label) for _value, label in DocumentType.choices]
    roles = [str(label) for _value, label in StaffRole.choices]
    for row in range(max(len(types), len(roles), len(certificate_names))):
        append(
            values,
            [
                types[row] if row < len(types) else None,
                roles[row] if row < len(roles) else None,
                certificate_names[row] if row < len(certificate_names) else None,
            ],
        )
    notes = [
        _("Fill in one row per person and role, from row 2. Columns marked * are required."),
        _("Dates as 2026-09-01. The document type may be left empty for a resident identity card."),
        _(
            "The no-criminal-record certificate is required unless the register already holds one for the "
            "person."
        ),
        _(
            "Fill in the certificate and health-check columns only for those who have one; upload scans "
            "afterwards."
        ),
    ]
    for note in notes:
        append(values, [None])
        append(values, [note])
    for letter in "ABC":
        values.column_dimensions[letter].width = 40
    validation = DataValidation(
        type="list", formula1=f"'{values.title}'!$B$2:$B${len(roles) + 1}", allow_blank=True
    )
    sheet.add_data_validation(validation)
    validation.add(f"D2:D{MAX_ROWS + 1}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(upload) -> list[tuple[int, dict]]:
    """(row number, {column key: value}) for each row with anything in it, after the header."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SheetError(
            _("This is not an Excel (.xlsx) file. Download the template and fill it in.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
            cells = list(values[: len(COLUMNS)]) + [None] * (len(COLUMNS) - len(values))
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            rows.append((number, {column.key: cell for column, cell in zip(COLUMNS, cells, strict=True)}))
            if len(rows) > MAX_ROWS:
                raise SheetError(_("At most %(max)d rows in one import.") % {"max": MAX_ROWS})
    finally:
        workbook.close()
    if not rows:
        raise SheetError(_("The sheet has no rows below its header."))
    return rows


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def as_date(value) -> datetime.date | None:
    """A date from a date cell or text such as 2026-09-01, 2026/9/1, 2026.9.1 or 2026年9月1日; None if
    empty; ValueError if not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    for separator in ("-", "/", ".", "年"):
        if separator in text:
            parts = (
                text.replace("年", "-")
                .replace("月", "-")
                .replace("日", "")
                .replace("/", "-")
                .replace(".", "-")
            )
            year, month, day = (int(p) for p in parts.strip("-").split("-"))
            return datetime.date(year, month, day)
    if len(text) == 8 and text.isdigit():
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise ValueError(text)
