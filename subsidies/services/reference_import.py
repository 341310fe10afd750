"""Reference figures from a workbook, with a dry run: every row checked (a region of the person's
jurisdiction, a year, whole non-negative numbers, no region and year twice), nothing saved while any row
has a problem; the import writes every row or none."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from registry.models import Region, User
from registry.selectors import jurisdiction_codes

from ..models import ReferenceYear

MAX_ROWS = 5000
NUMBERS = ("income_all", "income_urban", "income_rural", "children_under_3", "population")
COLUMNS = ("region", "year", *NUMBERS, "source")


def headers() -> list[str]:
    return [
        _("division code"),
        _("year"),
        _("per-capita disposable income, all residents (yuan a year)"),
        _("per-capita disposable income, urban residents (yuan a year)"),
        _("per-capita disposable income, rural residents (yuan a year)"),
        _("children under 3"),
        _("resident population"),
        _("source"),
    ]


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)  # {"number", "values", "errors"}
    problem: str = ""
    saved: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and not any(r["errors"] for r in self.rows)

    @property
    def problems(self) -> list[dict]:
        return [r for r in self.rows if r["errors"]]


def read(upload) -> tuple[list[dict], str]:
    """The rows of the first sheet under its header row, or a problem with the file as a whole."""
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], _("This is not an Excel workbook (.xlsx).")
    rows = []
    for number, values in enumerate(book.worksheets[0].iter_rows(min_row=2, values_only=True), start=2):
        if not any(v not in (None, "") for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            return [], _("At most %(max)s rows at a time.") % {"max": MAX_ROWS}
        padded = [*values, *[None] * len(COLUMNS)][: len(COLUMNS)]
        rows.append({"number": number, "values": dict(zip(COLUMNS, padded, strict=True))})
    if not rows:
        return [], _("The workbook has no rows under its header.")
    return rows, ""


def _whole(value):
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value >= 0:
        return value
    raise ValueError


def check(rows: list[dict], acting_user: User) -> list[dict]:
    codes = {str(r["values"]["region"] or "").strip() for r in rows}
    known = set(Region.objects.filter(pk__in=codes).values_list("pk", flat=True))
    mine = None if acting_user.is_superuser else set(jurisdiction_codes(acting_user))
    this_year = timezone.localdate().year
    seen: dict[tuple[str, int], int] = {}
    labels = dict(zip(COLUMNS, headers(), strict=True))
    checked = []
    for row in rows:
        values, errors = dict(row["values"]), []
        code = str(values["region"] or "").strip()
        values["region"] = code
        if code not in known:
            errors.append(_("Unknown division code %(code)s.") % {"code": code or "—"})
        elif mine is not None and code not in mine:
            errors.append(_("%(code)s is outside your jurisdiction.") % {"code": code})
        try:
            year = _whole(values["year"])
            if year is None or not 2000 <= year <= this_year:
                raise ValueError
            values["year"] = year
        except ValueError:
            errors.append(_("The year is a year from 2000 to %(year)s.") % {"year": this_year})
            year = None
        for name in NUMBERS:
            try:
                values[name] = _whole(values[name])
            except ValueError:
                errors.append(_("%(column)s: a whole number, 0 or more.") % {"column": labels[name]})
        if all(values[name] is None for name in NUMBERS):
            errors.append(_("The row gives no figure."))
        values["source"] = str(values["source"] or "").strip()[:200]
        if year is not None and code:
            if (code, year) in seen:
                errors.append(_("Region and year also on row %(row)s.") % {"row": seen[(code, year)]})
            seen.setdefault((code, year), row["number"])
        checked.append({"number": row["number"], "values": values, "errors": errors})
    return checked


def reference_import(*, rows: list[dict], acting_user: User, dry_run: bool) -> ImportReport:
    report = ImportReport(rows=check(rows, acting_user))
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        for row in report.rows:
            values = row["values"]
            ReferenceYear.objects.update_or_create(
                region_id=values["region"],
                year=values["year"],
                defaults={
                    **{name: values[name] for name in NUMBERS},
                    "source": values["source"],
                    "updated_by": acting_user,
                },
            )
    report.saved = len(report.rows)
    return report
