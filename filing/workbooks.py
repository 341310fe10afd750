"""The monthly push report as an Excel workbook: a summary sheet, then one sheet per section."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from registry.spreadsheets import append

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


def _cell(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value if value is not None else ""


def monthly_workbook(report: MonthlyReport) -> bytes:
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    append(summary, [_("Region"), report.region.name])
    append(summary, [_("Month"), f"{report.month:%Y-%m}"])
    append(summary, [_("Generated"), report.generated_at.strftime("%Y-%m-%d %H:%M")])
    append(summary, [])
    columns = _columns()
    for section, (title, _fields) in columns.items():
        append(summary, [title, report.counts.get(section, 0)])
    append(summary, [])
    append(
        summary,
        [
            _("Registration body"),
            _("County"),
            _("Pushed"),
            _("On time"),
            _("Late"),
            _("On-time rate (%)"),
            _("Pushed late"),
        ],
    )
    for body in report.punctuality:
        append(
            summary,
            [
                body["authority"],
                body.get("county", report.region.name),
                body["total"],
                body["on_time"],
                body["late"],
                body["rate"],
                "、".join(body.get("late_names", [])),
            ],
        )
    for section, (title, fields) in columns.items():
        rows = report.rows.get(section)
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        append(sheet, [label for _key, label in fields], font=Font(bold=True))
        for row in rows:
            append(sheet, [_cell(row.get(key)) for key, _label in fields])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
