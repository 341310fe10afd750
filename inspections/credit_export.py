"""The credit-record export for the credit platforms (信用平台), in Excel and CSV with the same columns
(documented in docs/credit.md). Streamed in chunks; text is written as text (no formula injection)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from registry.spreadsheets import append, csv_row

# (column heading, how a record gives it)
COLUMNS = [
    (gettext_lazy("Record number"), lambda r: f"XY{r.pk:08d}"),
    (gettext_lazy("About"), lambda r: r.get_subject_display()),
    (gettext_lazy("Name"), lambda r: r.institution.name if r.institution_id else r.person_name),
    (
        gettext_lazy("USCC or document number (masked)"),
        lambda r: r.institution.uscc if r.institution_id else r.document_masked,
    ),
    (gettext_lazy("Kind"), lambda r: r.get_kind_display()),
    (gettext_lazy("Severity"), lambda r: r.get_severity_display()),
    (gettext_lazy("Description"), lambda r: r.description),
    (gettext_lazy("Deciding body"), lambda r: r.decided_by_body),
    (gettext_lazy("Decided on"), lambda r: r.decided_on.isoformat()),
    (gettext_lazy("Valid until"), lambda r: r.valid_until.isoformat() if r.valid_until else _("no end")),
    (gettext_lazy("County code"), lambda r: r.region_id),
]


def credit_rows(queryset, *, header=False):
    if header:
        yield [str(heading) for heading, _value in COLUMNS]
    for record in queryset.select_related("institution").order_by("pk").iterator(chunk_size=2000):
        yield csv_row(value(record) for _heading, value in COLUMNS)


def credit_workbook(queryset) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Credit records"))
    append(sheet, [str(heading) for heading, _value in COLUMNS], font=Font(bold=True))
    for record in queryset.select_related("institution").order_by("pk").iterator(chunk_size=2000):
        append(sheet, [value(record) for _heading, value in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
