"""The plan import: reading unit names as plans write them, checking every row of a plan sheet and
importing its tasks all or none."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import User

from ..models import Conference, MemberUnit, Task
from .common import _require_office
from .tasks import task_create, title_of

# Units and names --------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、,，;；\n]+")


def split_names(text: str) -> list[str]:
    """Unit names as a plan writes them: separated by 、 , ， ; ； or new lines."""
    return [name.strip() for name in _SEPARATORS.split(text or "") if name.strip()]


def is_locality(name: str) -> bool:
    """Plans also task the localities ("各县市区", "各县级政府"); they are parties, not member units."""
    return name.startswith("各")


def unit_index(conference: Conference) -> dict[str, MemberUnit]:
    """Every name (authority name, short name, alias) by which a plan may name a member unit."""
    index = {}
    for unit in conference.units.select_related("authority"):
        for name in unit.names():
            index.setdefault(name, unit)
    return index


@dataclass
class ResolvedUnits:
    lead: MemberUnit | None
    responsible: list[MemberUnit]
    others: list[str]
    unknown: list[str]


def resolve_units(index: dict[str, MemberUnit], lead_text: str, responsible_text: str) -> ResolvedUnits:
    """The lead unit is the first member unit named as lead (or, when no lead is named, the first named
    responsible); other member units named either way are responsible units. Localities are kept as
    other parties; any other name is unknown."""
    lead_names, responsible_names_ = split_names(lead_text), split_names(responsible_text)
    units, others, unknown = [], [], []
    for name in lead_names + responsible_names_:
        unit = index.get(name)
        if unit is not None:
            if unit not in units:
                units.append(unit)
        elif is_locality(name):
            others.append(name)
        else:
            unknown.append(name)
    lead = next((index[n] for n in lead_names if n in index), None)
    if lead is None and not lead_names and units:
        lead = units[0]
    return ResolvedUnits(lead, [u for u in units if u != lead], list(dict.fromkeys(others)), unknown)


# Plan import ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlanRow:
    row: int
    text: str
    lead: MemberUnit | None
    responsible: list[MemberUnit]
    others: list[str]
    due_on: datetime.date


@dataclass
class ImportReport:
    rows: list[PlanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


PLAN_COLUMNS = ("item", "lead unit", "responsible units", "due date")
MAX_PLAN_ROWS = 2000
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _column_label(index: int) -> str:
    labels = (_("item"), _("lead unit"), _("responsible units"), _("due date"))
    return f"{'ABCD'[index]}（{labels[index]}）"


def as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def plan_check(*, conference: Conference, rows: list[tuple[int, tuple[Any, ...]]]) -> ImportReport:
    """Check every row of a plan sheet and report every problem (row, column, message); write nothing.
    `rows` are (sheet row number, cell values) after the header."""
    report = ImportReport()
    index = unit_index(conference)
    existing = set(Task.objects.filter(conference=conference).values_list("title", flat=True))
    seen: dict[str, int] = {}
    if len(rows) > MAX_PLAN_ROWS:
        report.errors.append(
            RowError(
                0,
                "",
                _("The sheet has %(n)d rows; at most %(max)d.") % {"n": len(rows), "max": MAX_PLAN_ROWS},
            )
        )
        return report
    for number, values in rows:
        cells = [*list(values)[:4], *[None] * (4 - len(values[:4]))]
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        errors = []
        text = str(cells[0] or "").strip()
        if not text:
            errors.append(RowError(number, _column_label(0), _("The item is empty.")))
        else:
            title = title_of(text)
            if title in existing:
                errors.append(RowError(number, _column_label(0), _("The conference already has this task.")))
            elif title in seen:
                errors.append(
                    RowError(number, _column_label(0), _("Same item as row %(row)d.") % {"row": seen[title]})
                )
            seen.setdefault(title, number)
        lead_text, responsible_text = str(cells[1] or ""), str(cells[2] or "")
        resolved = resolve_units(index, lead_text, responsible_text)
        unknown = set(resolved.unknown)
        for column, names in ((1, split_names(lead_text)), (2, split_names(responsible_text))):
            for name in names:
                if name in unknown:
                    errors.append(
                        RowError(
                            number,
                            _column_label(column),
                            _("“%(name)s” is not a member unit of this conference.") % {"name": name},
                        )
                    )
        if not split_names(lead_text) or (resolved.lead is None and not unknown and not resolved.others):
            errors.append(RowError(number, _column_label(1), _("Name the lead unit.")))
        due_on = as_date(cells[3])
        if due_on is None:
            errors.append(
                RowError(number, _column_label(3), _("Give the due date as a date, e.g. 2026-12-31."))
            )
        if errors:
            report.errors.extend(errors)
        else:
            report.rows.append(
                PlanRow(number, text, resolved.lead, resolved.responsible, resolved.others, due_on)
            )
    if not report.rows and not report.errors:
        report.errors.append(RowError(0, "", _("The sheet has no tasks.")))
    return report


def plan_import(
    *, conference: Conference, rows: list[tuple[int, tuple[Any, ...]]], dry_run: bool, acting_user: User
) -> ImportReport:
    """Import a plan's tasks. A dry run only reports; a real run writes every row or, when any row is
    bad, none."""
    _require_office(acting_user, conference, _("Only the conference office imports a plan."))
    report = plan_check(conference=conference, rows=rows)
    report.dry_run = dry_run
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        for row in report.rows:
            task_create(
                conference=conference,
                text=row.text,
                due_on=row.due_on,
                lead_unit=row.lead,
                responsible_units=row.responsible,
                other_parties="、".join(row.others),
                acting_user=acting_user,
            )
            report.created += 1
    return report
