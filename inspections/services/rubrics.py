"""Rubric versions: a rubric an assessment used is never edited; the bureau starts a new version (a copy,
current in its region) or adopts the national rubric as its jurisdiction's own, or imports the next version
from a workbook after a dry run."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import Region, User
from workforce.roster_sheet import as_text, choice_lookup

from ..models import GradeBand, Prefill, Rubric, RubricDimension, RubricRequirement
from .checklists import next_version, version_region


@transaction.atomic
def rubric_new_version(*, rubric: Rubric, acting_user: User, region: Region | None = None) -> Rubric:
    target = version_region(rubric, region, acting_user)
    version = next_version(Rubric.objects.filter(region_id=target, code=rubric.code))
    copy = Rubric.objects.create(
        region_id=target,
        code=rubric.code,
        name=rubric.name,
        version=version,
        current=True,
        sources=rubric.sources,
    )
    dimensions = {}
    for dimension in rubric.dimensions.all():
        dimensions[dimension.pk] = RubricDimension.objects.create(
            rubric=copy, code=dimension.code, name=dimension.name, position=dimension.position
        )
    RubricRequirement.objects.bulk_create(
        RubricRequirement(
            rubric=copy,
            dimension=dimensions[r.dimension_id],
            code=r.code,
            text=r.text,
            how_to_verify=r.how_to_verify,
            points=r.points,
            veto=r.veto,
            source=r.source,
            prefill=r.prefill,
            position=r.position,
        )
        for r in rubric.requirements.all()
    )
    GradeBand.objects.bulk_create(
        GradeBand(rubric=copy, grade=b.grade, min_percent=b.min_percent, passing=b.passing)
        for b in rubric.bands.all()
    )
    return copy


@dataclass
class SheetRow:
    sheet: str
    number: int
    code: str = ""
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class RubricImportReport:
    requirements: list[SheetRow]
    bands: list[SheetRow]
    errors: list[str] = field(default_factory=list)  # about the rubric as a whole
    saved: Rubric | None = None

    @property
    def problems(self) -> list[SheetRow]:
        return [row for row in self.requirements + self.bands if row.errors]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.errors

    @property
    def total(self) -> Decimal:
        return sum((r.values["points"] for r in self.requirements if not r.errors), Decimal(0))

    @property
    def dimensions(self) -> list[tuple[str, str]]:
        seen = {}
        for row in self.requirements:
            if not row.errors:
                seen.setdefault(row.values["dimension_code"], row.values["dimension_name"])
        return list(seen.items())


def _yes_no(value) -> bool | None:
    text = as_text(value).lower()
    if text in {"是", "yes", "y", "true", "1", "√", "✓"}:
        return True
    if text in {"否", "no", "n", "false", "0", ""}:
        return False
    return None


def _number(value) -> Decimal | None:
    try:
        number = Decimal(as_text(value).rstrip("%"))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _requirement(number: int, cells: dict, prefills: dict[str, str]) -> SheetRow:
    row = SheetRow(_("Requirements"), number, as_text(cells["code"]))
    values = {key: as_text(cells[key]) for key in ("dimension_code", "dimension_name", "code", "text")}
    for key, label in (
        ("dimension_code", _("dimension code")),
        ("dimension_name", _("dimension")),
        ("code", _("requirement code")),
        ("text", _("requirement")),
    ):
        if not values[key]:
            row.errors.append(_("%(column)s is empty.") % {"column": label})
    for key, limit in (("dimension_code", 10), ("dimension_name", 64), ("code", 20)):
        if len(values[key]) > limit:
            row.errors.append(
                _("“%(value)s” is longer than %(n)d characters.") % {"value": values[key], "n": limit}
            )
    points = _number(cells["points"])
    if points is None or not Decimal(0) <= points <= 100 or points != points.quantize(Decimal("0.1")):
        row.errors.append(_("Points must be a number from 0 to 100 with at most one decimal."))
    veto = _yes_no(cells["veto"])
    if veto is None:
        row.errors.append(_("Veto requirement: write 是 or 否."))
    prefill = prefills.get(as_text(cells["prefill"]).replace(" ", "").lower())
    if prefill is None:
        row.errors.append(
            _("“%(value)s” is not a source the platform can prefill from; see the sheet of accepted values.")
            % {"value": as_text(cells["prefill"])}
        )
    row.values = {
        **values,
        "how_to_verify": as_text(cells["how_to_verify"]),
        "points": points,
        "veto": veto,
        "source": as_text(cells["source"])[:255],
        "prefill": prefill,
    }
    return row


def _band(number: int, cells: dict) -> SheetRow:
    row = SheetRow(_("Grades"), number, as_text(cells["grade"]))
    if not row.code:
        row.errors.append(_("%(column)s is empty.") % {"column": _("grade")})
    elif len(row.code) > 20:
        row.errors.append(_("“%(value)s” is longer than %(n)d characters.") % {"value": row.code, "n": 20})
    percent = _number(cells["min_percent"])
    if percent is None or not Decimal(0) <= percent <= 100:
        row.errors.append(_("The share of the points must be a number from 0 to 100."))
    passing = _yes_no(cells["passing"])
    if passing is None:
        row.errors.append(_("A pass: write 是 or 否."))
    row.values = {"grade": row.code, "min_percent": percent, "passing": passing}
    return row


def rubric_import(
    *,
    rubric: Rubric,
    requirements: list[tuple[int, dict]],
    bands: list[tuple[int, dict]],
    acting_user: User,
    dry_run: bool,
    region: Region | None = None,
) -> RubricImportReport:
    """Check a workbook as the next version of `rubric` and, unless a dry run or a row has a problem, save it
    as that version (current in its region) in one transaction. A dry run saves nothing."""
    version_region(rubric, region, acting_user)  # refused outside the person's jurisdiction, dry run or not
    prefills = choice_lookup(Prefill.choices)
    prefills[""] = ""
    report = RubricImportReport(
        [_requirement(n, cells, prefills) for n, cells in requirements],
        [_band(n, cells) for n, cells in bands],
    )
    _check_whole(report)
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        report.saved = _save(report, rubric, acting_user, region)
    return report


def _check_whole(report: RubricImportReport) -> None:
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for row in report.requirements:
        code = row.values.get("code")
        if code and code in seen:
            row.errors.append(
                _("Requirement %(code)s is also on row %(row)d.") % {"code": code, "row": seen[code]}
            )
        seen.setdefault(code, row.number)
        dimension, name = row.values.get("dimension_code"), row.values.get("dimension_name")
        if dimension and name and names.setdefault(dimension, name) != name:
            row.errors.append(
                _("Dimension %(code)s is named “%(name)s” on an earlier row.")
                % {"code": dimension, "name": names[dimension]}
            )
    grades: dict[str, int] = {}
    for row in report.bands:
        if row.code and row.code in grades:
            row.errors.append(
                _("Grade %(grade)s is also on row %(row)d.") % {"grade": row.code, "row": grades[row.code]}
            )
        grades.setdefault(row.code, row.number)
    if not report.problems:
        if report.total <= 0:
            report.errors.append(_("The requirements carry no points."))
        if not any(row.values["min_percent"] == 0 for row in report.bands):
            report.errors.append(_("One grade must start at zero so that every score has a grade."))


def _save(report: RubricImportReport, rubric: Rubric, acting_user: User, region: Region | None) -> Rubric:
    target = version_region(rubric, region, acting_user)
    copy = Rubric.objects.create(
        region_id=target,
        code=rubric.code,
        name=rubric.name,
        version=next_version(Rubric.objects.filter(region_id=target, code=rubric.code)),
        current=True,
        sources=rubric.sources,
    )
    dimensions = {
        code: RubricDimension.objects.create(rubric=copy, code=code, name=name, position=position)
        for position, (code, name) in enumerate(report.dimensions, 1)
    }
    RubricRequirement.objects.bulk_create(
        RubricRequirement(
            rubric=copy,
            dimension=dimensions[row.values["dimension_code"]],
            position=position,
            **{k: v for k, v in row.values.items() if k not in ("dimension_code", "dimension_name")},
        )
        for position, row in enumerate(report.requirements, 1)
    )
    GradeBand.objects.bulk_create(GradeBand(rubric=copy, **row.values) for row in report.bands)
    return copy
