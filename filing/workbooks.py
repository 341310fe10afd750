"""The monthly push report as an Excel workbook: a summary sheet, then one sheet per section."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import MonthlyReport
from .models.reports import SECTION_LABELS, SECTIONS


def _columns():
    registration = [
        ("uscc", _("Unified social credit code")),
        ("name", _("Name")),
        ("registration_body", _("Registration body")),
        ("registered_on", _("Registered on")),
        ("cancelled_on", _("Cancelled on")),
        ("first_pushed_at", _("First pushed")),
        ("late", _("Pushed late")),
    ]
    filing = [
        ("uscc", _("Unified social credit code")),
        ("name", _("Name")),
        ("address", _("Address")),
        ("receipt_number", _("Receipt number")),
        ("inclusive", _("Inclusive")),
        ("decided_at", _("Accepted on")),
    ]
    terminations = [
        ("uscc", _("Unified social credit code")),
        ("name", _("Name")),
        ("planned_on", _("Stops on")),
        ("confirmed_at", _("Confirmed on")),
    ]
    fields = {
        "registrations": registration,
        "cancellations": registration,
        "filings": filing,
        "changes": filing,
        "terminations": terminations,
    }
    return {section: (str(SECTION_LABELS[section]), fields[section]) for section in SECTIONS}


def _header(sheet, label):
    cell = WriteOnlyCell(sheet, value=label)
    cell.font = Font(bold=True)
    return cell


def _cell(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value if value is not None else ""


def monthly_workbook(report: MonthlyReport) -> bytes:
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.append([_("Region"), report.region.name])
    summary.append([_("Month"), f"{report.month:%Y-%m}"])
    summary.append([_("Generated"), report.generated_at.strftime("%Y-%m-%d %H:%M")])
    summary.append([])
    columns = _columns()
    for section, (title, _fields) in columns.items():
        summary.append([title, report.counts.get(section, 0)])
    summary.append([])
    summary.append(
        [
            _("Registration body"),
            _("County"),
            _("Pushed"),
            _("On time"),
            _("Late"),
            _("On-time rate (%)"),
            _("Pushed late"),
        ]
    )
    for body in report.punctuality:
        summary.append(
            [
                body["authority"],
                body.get("county", report.region.name),
                body["total"],
                body["on_time"],
                body["late"],
                body["rate"],
                "、".join(body.get("late_names", [])),
            ]
        )
    for section, (title, fields) in columns.items():
        rows = report.rows.get(section)
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        sheet.append([_header(sheet, label) for _key, label in fields])
        for row in rows:
            sheet.append([_cell(row.get(key)) for key, _label in fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
