"""The monthly push report as an Excel workbook: a summary sheet (with each county's figures in a city's or
province's report), one sheet per section, and the institutions still unfiled when it is downloaded.
Dates are dates, times are Beijing time, columns have widths and headers stay in view."""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from registry.models import Institution
from registry.spreadsheets import append

from .models import MonthlyReport
from .models.reports import SECTION_LABELS, SECTIONS, SUPERVISION, SUPERVISION_LABELS
from .selectors import unfiled_institutions

BOLD = Font(bold=True)
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "int": "0"}
WIDTHS = {
    "uscc": 22,
    "name": 36,
    "address": 36,
    "text": 18,
    "date": 12,
    "datetime": 17,
    "int": 10,
    "yesno": 8,
}


def _columns():
    """Each section's columns: (key in the stored row, header, kind)."""
    registration = [
        ("uscc", _("Unified social credit code"), "uscc"),
        ("name", _("Name"), "name"),
        ("registration_body", _("Registration body"), "text"),
        ("registered_on", _("Registered on"), "date"),
        ("cancelled_on", _("Cancelled on"), "date"),
        ("first_pushed_at", _("First pushed"), "datetime"),
        ("late", _("Pushed late"), "yesno"),
    ]
    filing = [
        ("uscc", _("Unified social credit code"), "uscc"),
        ("name", _("Name"), "name"),
        ("address", _("Address"), "address"),
        ("receipt_number", _("Receipt number"), "text"),
        ("inclusive", _("Inclusive"), "yesno"),
        ("decided_at", _("Accepted on"), "datetime"),
    ]
    terminations = [
        ("uscc", _("Unified social credit code"), "uscc"),
        ("name", _("Name"), "name"),
        ("planned_on", _("Stops on"), "date"),
        ("confirmed_at", _("Confirmed on"), "datetime"),
    ]
    fields = {
        "registrations": registration,
        "cancellations": registration,
        "filings": filing,
        "changes": filing,
        "terminations": terminations,
    }
    return {section: (str(SECTION_LABELS[section]), fields[section]) for section in SECTIONS}


def _value(value, kind):
    """A stored value as a typed cell value: ISO text back to a date or a local time, booleans in words."""
    if value is None or value == "":
        return None
    if kind == "yesno":
        return _("Yes") if value else _("No")
    if kind == "date" and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if kind == "datetime" and isinstance(value, str):
        moment = datetime.datetime.fromisoformat(value)
        return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment
    return value


def _sheet(book, title: str, columns: list[tuple[str, str]]):
    """A sheet with its column widths, a bold header row that stays in view and a filter on it."""
    sheet = book.create_sheet(title[:31])
    for number, (_header, kind) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = WIDTHS.get(kind, 16)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    append(sheet, [header for header, _kind in columns], font=BOLD)
    return sheet


def _row(sheet, values_and_kinds) -> None:
    append(
        sheet,
        [_value(value, kind) for value, kind in values_and_kinds],
        formats=[FORMATS.get(kind) for _stored, kind in values_and_kinds],
    )


def monthly_workbook(report: MonthlyReport) -> bytes:
    book = Workbook(write_only=True)
    columns = _columns()
    summary = _sheet(book, _("Summary"), [(_("Item"), "name"), (_("Value"), "text")])
    _row(summary, [(_("Region"), "text"), (report.region.name, "text")])
    _row(summary, [(_("Month"), "text"), (f"{report.month:%Y-%m}", "text")])
    _row(summary, [(_("Generated"), "text"), (report.generated_at.isoformat(), "datetime")])
    for section, (title, _fields) in columns.items():
        _row(summary, [(title, "text"), (report.counts.get(section, 0), "int")])
    for figure in SUPERVISION:
        if figure in report.counts:
            _row(summary, [(str(SUPERVISION_LABELS[figure]), "text"), (report.counts[figure], "int")])

    counties = report.rows.get("counties")
    if counties is not None:  # a city's or a province's report: each county's figures
        by_county = _sheet(
            book,
            _("By county"),
            [(_("County"), "text"), *[(title, "int") for title, _fields in columns.values()]],
        )
        for county in counties:
            _row(by_county, [(county["county"], "text"), *[(county.get(s, 0), "int") for s in SECTIONS]])

    punctuality = _sheet(
        book,
        _("On-time pushes"),
        [
            (_("Registration body"), "name"),
            (_("County"), "text"),
            (_("Pushed"), "int"),
            (_("On time"), "int"),
            (_("Late"), "int"),
            (_("On-time rate (%)"), "int"),
            (_("Pushed late"), "address"),
        ],
    )
    for body in report.punctuality:
        _row(
            punctuality,
            [
                (body["authority"], "text"),
                (body.get("county", report.region.name), "text"),
                (body["total"], "int"),
                (body["on_time"], "int"),
                (body["late"], "int"),
                (body["rate"], "rate"),
                ("、".join(body.get("late_names", [])), "text"),
            ],
        )

    for section, (title, fields) in columns.items():
        rows = report.rows.get(section)
        if rows is None:
            continue
        sheet = _sheet(book, title, [(header, kind) for _key, header, kind in fields])
        for row in rows:
            _row(sheet, [(row.get(key), kind) for key, _header, kind in fields])

    today = timezone.localdate()
    unfiled = _sheet(
        book,
        _("Still unfiled"),
        [
            (_("Unified social credit code"), "uscc"),
            (_("Name"), "name"),
            (_("County"), "text"),
            (_("Registration body"), "name"),
            (_("Registered on"), "date"),
            (_("Days since registration"), "int"),
            (_("Filing status"), "text"),
        ],
    )
    statuses = dict(Institution.FilingStatus.choices)
    for row in unfiled_institutions(report.region_id).iterator(chunk_size=2000):
        registered = row["registration__registered_on"]
        _row(
            unfiled,
            [
                (row["uscc"], "text"),
                (row["name"], "text"),
                (row["region__name"], "text"),
                (row["registration__authority__name"], "text"),
                (registered, "date"),
                ((today - registered).days, "int"),
                (str(statuses[row["filing_status"]]), "text"),
            ],
        )
    _row(unfiled, [])
    _row(unfiled, [(_("As of %(date)s, when this workbook was downloaded.") % {"date": today}, "text")])

    supply = report.rows.get("supply")
    if supply:  # a county's supply indicators against its targets, as at the month's end
        sheet = _sheet(
            book,
            _("Supply indicators"),
            [
                (_("Indicator"), "name"),
                (_("Value"), "text"),
                (_("Target"), "text"),
                (_("Target met"), "text"),
            ],
        )
        marks = {True: _("met"), False: _("missed"), None: "—"}
        for figure in supply:
            _row(
                sheet,
                [
                    (figure["label"], "text"),
                    (figure["value"], "text"),
                    (figure["target"], "text"),
                    (str(marks[figure["met"]]), "text"),
                ],
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
