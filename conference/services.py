"""Writes for the joint conference: roles over time, tasks and their transitions, progress reports, the
plan import, escalation, the plenary-meeting warning and bulletins. Every rule lives here; the admin, the
demo and the Celery tasks only call these functions.

Task states (who may move them):

    open ──report──▶ in_progress
    open / in_progress ──lead unit marks done──▶ done ──office confirms──▶ done (confirmed, final)
    done (unconfirmed) ──office reopens──▶ in_progress
    open / in_progress ──office cancels──▶ cancelled

A task with no lead member unit (only "各县市区" lead it) is marked done by the office.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.models import User

from .models import (
    SINGLE_HOLDER_ROLES,
    UNIT_ROLES,
    Bulletin,
    Conference,
    ConferenceRole,
    DecidedItem,
    Escalation,
    MemberUnit,
    PlenaryShortfall,
    ProgressReport,
    RoleAssignment,
    Task,
)
from .selectors import (
    current,
    holders,
    is_office,
    member_people,
    office_people,
    overdue_tasks,
    plenary_count,
    progress_by_unit,
    responsible_names,
    unit_holders,
    user_units,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".zip",
}


class ConferenceError(Exception):
    """A request the rules refuse; `message` says why in words the user understands."""

    def __init__(self, message, errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


class TransitionNotAllowed(ConferenceError):
    pass


def _notify(users, **kwargs) -> int:
    """Hand notices to the notifications app (imported late: it is called, it never calls back)."""
    from notifications.services import notify

    kwargs["title"] = str(kwargs["title"])[:200]  # the inbox's title length; task titles run long
    return notify(users, **kwargs)


def _admin_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _saved(obj, acting_user, **kwargs) -> None:
    obj._history_user = acting_user
    obj.save(**kwargs)


# Roles ------------------------------------------------------------------------------------------------


@transaction.atomic
def role_assign(
    *,
    conference: Conference,
    role: str,
    user: User,
    starts_on: datetime.date,
    unit: MemberUnit | None = None,
    acting_user: User | None = None,
) -> RoleAssignment:
    """`user` holds `role` from `starts_on`. For a role one person holds at a time (per unit for
    liaisons and members) the current holder's term ends the day before, so the history stays whole."""
    if role in UNIT_ROLES and unit is None:
        raise ConferenceError(
            _("A liaison or member is appointed for a member unit."), {"unit": [_("Required.")]}
        )
    if role not in UNIT_ROLES:
        unit = None
    if unit is not None and unit.conference_id != conference.pk:
        raise ConferenceError(
            _("That unit is not a member of this conference."), {"unit": [_("Not a member.")]}
        )
    existing = RoleAssignment.objects.select_for_update().filter(conference=conference, role=role, unit=unit)
    if existing.filter(user=user, ends_on__isnull=True, starts_on__lte=starts_on).exists():
        raise ConferenceError(_("%(user)s already holds this role.") % {"user": user})
    if role in SINGLE_HOLDER_ROLES:
        if existing.filter(starts_on__gte=starts_on).exists():
            raise ConferenceError(
                _("Someone else's term starts on or after that date; end it first."),
                {"starts_on": [_("Overlaps a later term.")]},
            )
        for previous in current(existing, starts_on):
            previous.ends_on = starts_on - datetime.timedelta(days=1)
            _saved(previous, acting_user)
    assignment = RoleAssignment(conference=conference, role=role, unit=unit, user=user, starts_on=starts_on)
    _saved(assignment, acting_user)
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, ends_on: datetime.date, acting_user: User | None = None) -> None:
    if ends_on < assignment.starts_on:
        raise ConferenceError(_("A term cannot end before it starts."))
    assignment.ends_on = ends_on
    _saved(assignment, acting_user)


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


def title_of(text: str) -> str:
    """A task's title: the item's first sentence."""
    text = " ".join((text or "").split())
    first = re.split(r"(?<=[。；;])", text, maxsplit=1)[0].rstrip("。；;")
    return first[:255]


# Tasks ------------------------------------------------------------------------------------------------


def _require_office(user: User, conference: Conference, message: str) -> None:
    if not is_office(user, conference):
        raise PermissionDenied(message)


@transaction.atomic
def task_create(
    *,
    conference: Conference,
    text: str,
    due_on: datetime.date,
    lead_unit: MemberUnit | None,
    responsible_units=(),
    reference: str = "",
    other_parties: str = "",
    source: str = Task.Source.PLAN,
    decided_item: DecidedItem | None = None,
    acting_user: User | None = None,
) -> Task:
    text = (text or "").strip()
    if not text:
        raise ConferenceError(_("Describe the task."), {"title": [_("Required.")]})
    units = [lead_unit, *responsible_units] if lead_unit else list(responsible_units)
    if any(unit.conference_id != conference.pk for unit in units):
        raise ConferenceError(_("Every unit of a task must be a member of the conference."))
    task = Task(
        conference=conference,
        reference=reference,
        title=title_of(text),
        description=text,
        source=source,
        decided_item=decided_item,
        lead_unit=lead_unit,
        other_parties=other_parties,
        due_on=due_on,
    )
    _saved(task, acting_user)
    task.responsible_units.set([u for u in responsible_units if u != lead_unit])
    return task


@transaction.atomic
def decided_item_to_task(*, item: DecidedItem, acting_user: User) -> Task:
    """A decided item of the minutes becomes a task of its lead unit."""
    conference = item.meeting.conference
    _require_office(acting_user, conference, _("Only the conference office turns decided items into tasks."))
    item = DecidedItem.objects.select_for_update().get(pk=item.pk)
    if Task.objects.filter(decided_item=item).exists():
        raise ConferenceError(_("This decided item is already a task."))
    if item.lead_unit_id is None or item.due_on is None:
        raise ConferenceError(_("Give the decided item a lead unit and a due date first."))
    return task_create(
        conference=conference,
        text=item.text,
        due_on=item.due_on,
        lead_unit=item.lead_unit,
        reference=_("Meeting %(date)s") % {"date": item.meeting.held_on.isoformat()},
        source=Task.Source.DECIDED_ITEM,
        decided_item=item,
        acting_user=acting_user,
    )


def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",)).select_related("conference", "lead_unit").get(pk=task.pk)
    )


@transaction.atomic
def task_report_progress(
    *,
    task: Task,
    text: str,
    acting_user: User,
    attachment=None,
    unit: MemberUnit | None = None,
) -> ProgressReport:
    """A unit's liaison (or member) reports progress on a task their unit leads or shares. The first
    report moves an open task to in progress."""
    task = _locked(task)
    task_units = {task.lead_unit_id, *task.responsible_units.values_list("pk", flat=True)} - {None}
    mine = [u for u in user_units(acting_user, task.conference) if u.pk in task_units]
    if unit is None and mine:
        unit = next((u for u in mine if u.pk == task.lead_unit_id), mine[0])
    if unit is None or (unit not in mine and not is_office(acting_user, task.conference)):
        raise PermissionDenied(_("Only the liaison of a unit that holds this task reports its progress."))
    if unit.pk not in task_units:
        raise ConferenceError(_("That unit does not hold this task."))
    if not task.is_active:
        raise TransitionNotAllowed(
            _("The task is %(status)s; progress is no longer reported.")
            % {"status": task.get_status_display()}
        )
    text = (text or "").strip()
    if not text:
        raise ConferenceError(_("Describe the progress."), {"text": [_("Required.")]})
    report = ProgressReport(task=task, unit=unit, text=text, reported_by=acting_user)
    if attachment:
        suffix = ("." + attachment.name.rsplit(".", 1)[-1].lower()) if "." in attachment.name else ""
        if suffix not in ATTACHMENT_TYPES:
            raise ConferenceError(
                _("Attach a PDF, Office document, image, text or zip file."),
                {"attachment": [_("Wrong type.")]},
            )
        if attachment.size > MAX_ATTACHMENT_BYTES:
            raise ConferenceError(
                _("The attachment is larger than 20 MB."), {"attachment": [_("Too large.")]}
            )
        report.original_name = attachment.name[:255]
        report.content_type = getattr(attachment, "content_type", "") or "application/octet-stream"
        report.size = attachment.size
        report.attachment.save(attachment.name, attachment, save=False)
    report.save()
    if task.status == Task.Status.OPEN:
        task.status = Task.Status.IN_PROGRESS
        _saved(task, acting_user, update_fields=["status", "updated_at"])
    return report


@transaction.atomic
def task_mark_done(*, task: Task, acting_user: User, note: str = "") -> Task:
    """The lead unit (its liaison or member) says the task is done; the office then confirms."""
    task = _locked(task)
    if task.lead_unit_id is None:
        _require_office(acting_user, task.conference, _("Only the conference office closes this task."))
    elif not user_units(acting_user, task.conference).filter(pk=task.lead_unit_id).exists():
        raise PermissionDenied(_("Only the lead unit marks its task done."))
    if not task.is_active:
        raise TransitionNotAllowed(
            _("Only an open or in-progress task can be marked done; this one is %(status)s.")
            % {"status": task.get_status_display()}
        )
    task.status = Task.Status.DONE
    task.done_at, task.done_by = timezone.now(), acting_user
    task.status_note = note.strip()
    _saved(task, acting_user)
    return task


@transaction.atomic
def task_confirm(*, task: Task, acting_user: User) -> Task:
    """The office confirms a task the lead unit marked done. Final."""
    task = _locked(task)
    _require_office(acting_user, task.conference, _("Only the conference office confirms a task is done."))
    if task.status != Task.Status.DONE:
        raise TransitionNotAllowed(_("Only a task marked done can be confirmed."))
    if task.confirmed_at:
        raise TransitionNotAllowed(_("This task has already been confirmed."))
    task.confirmed_at, task.confirmed_by = timezone.now(), acting_user
    _saved(task, acting_user)
    return task


@transaction.atomic
def task_reopen(*, task: Task, acting_user: User, reason: str) -> Task:
    """The office does not accept that the task is done: back to in progress, with the reason."""
    task = _locked(task)
    _require_office(acting_user, task.conference, _("Only the conference office reopens a task."))
    if task.status != Task.Status.DONE or task.confirmed_at:
        raise TransitionNotAllowed(_("Only a task marked done and not yet confirmed can be reopened."))
    if not (reason or "").strip():
        raise ConferenceError(_("Say why the task is reopened."), {"reason": [_("Required.")]})
    task.status = Task.Status.IN_PROGRESS
    task.done_at = task.done_by = None
    task.status_note = reason.strip()
    _saved(task, acting_user)
    return task


@transaction.atomic
def task_cancel(*, task: Task, acting_user: User, reason: str) -> Task:
    task = _locked(task)
    _require_office(acting_user, task.conference, _("Only the conference office cancels a task."))
    if not task.is_active:
        raise TransitionNotAllowed(_("Only an open or in-progress task can be cancelled."))
    if not (reason or "").strip():
        raise ConferenceError(_("Say why the task is cancelled."), {"reason": [_("Required.")]})
    task.status = Task.Status.CANCELLED
    task.status_note = reason.strip()
    _saved(task, acting_user)
    return task


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


# Escalation -------------------------------------------------------------------------------------------

R = Escalation.Rung
RUNG_ORDER = (R.LONG_OVERDUE, R.OVERDUE, R.DUE_SOON)


def rung_for(task: Task, conference: Conference, today: datetime.date) -> str | None:
    """The highest rung a task has reached today, if any. Only the highest fires: a task first seen
    long overdue goes to the convenor, not through every rung on one day."""
    late = (today - task.due_on).days
    if late > conference.long_overdue_days:
        return R.LONG_OVERDUE
    if late > conference.overdue_days:
        return R.OVERDUE
    if -late <= conference.due_soon_days:
        return R.DUE_SOON
    return None


def rung_recipients(task: Task, rung: str, today: datetime.date):
    """Due soon: the liaisons of the lead and responsible units. Overdue: the lead unit's member and the
    office director. Long overdue: the convenor. Whoever holds the role on the day. A rung with nobody to
    tell (no convenor appointed yet) is still recorded as fired, with 0 people notified."""
    conference = task.conference
    if rung == R.DUE_SOON:
        units = [task.lead_unit_id, *task.responsible_units.values_list("pk", flat=True)]
        return unit_holders([u for u in units if u], [ConferenceRole.LIAISON], on=today)
    if rung == R.OVERDUE:
        lead = unit_holders(
            [task.lead_unit_id] if task.lead_unit_id else [], [ConferenceRole.MEMBER], on=today
        )
        director = holders(conference, ConferenceRole.OFFICE_DIRECTOR, on=today)
        return list({u.pk: u for u in [*lead, *director]}.values())
    return holders(conference, ConferenceRole.CONVENOR, on=today)


def _rung_message(task: Task, rung: str, today: datetime.date) -> tuple[str, str]:
    values = {"task": str(task), "due": task.due_on.isoformat(), "days": abs((today - task.due_on).days)}
    if rung == R.DUE_SOON:
        title = _("Task due soon: %(task)s") % values
        body = _("The task is due on %(due)s, in %(days)d days. Please report its progress.") % values
    elif rung == R.OVERDUE:
        title = _("Task overdue: %(task)s") % values
        body = _("The task was due on %(due)s and is %(days)d days overdue.") % values
    else:
        title = _("Task long overdue: %(task)s") % values
        body = _("The task was due on %(due)s and is %(days)d days overdue; please intervene.") % values
    lead = task.lead_unit or task.other_parties
    body += " " + _("Lead unit: %(lead)s.") % {"lead": lead}
    return title, body


def task_escalate(*, task: Task, today: datetime.date | None = None) -> str | None:
    """Fire the rung the task has reached, once. Returns the rung fired, or None."""
    today = today or timezone.localdate()
    conference = task.conference
    rung = rung_for(task, conference, today)
    if rung is None or not task.is_active:
        return None
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(task=task, rung=rung)
            with translation.override(settings.LANGUAGE_CODE):
                title, body = _rung_message(task, rung, today)
            escalation.recipients = _notify(
                rung_recipients(task, rung, today),
                title=title,
                body=body,
                subject=task,
                url=_admin_url(task),
                key=f"conference.task.{task.pk}.{rung}",
            )
            escalation.save(update_fields=["recipients"])
    except IntegrityError:
        return None  # this rung already fired (another run got there first)
    return rung


def tasks_escalate(*, today: datetime.date | None = None) -> dict[str, int]:
    """Walk every active task near or past its due date and fire the rung it has reached, once per
    (task, rung). Done and cancelled tasks are never looked at. Safe to run any number of times."""
    today = today or timezone.localdate()
    fired = dict.fromkeys(R.values, 0)
    for conference in Conference.objects.all().iterator():
        horizon = today + datetime.timedelta(days=conference.due_soon_days)
        tasks = (
            Task.objects.filter(conference=conference, status__in=Task.ACTIVE, due_on__lte=horizon)
            .select_related("lead_unit")
            .prefetch_related("escalations")
        )
        for task in tasks.iterator(chunk_size=500):
            task.conference = conference
            rung = rung_for(task, conference, today)
            if rung is None or any(e.rung == rung for e in task.escalations.all()):
                continue
            if task_escalate(task=task, today=today):
                fired[rung] += 1
    return fired


# Plenary meetings -------------------------------------------------------------------------------------


def plenary_check(*, today: datetime.date | None = None) -> int:
    """When a calendar year has ended without the conference's required plenary meetings, warn the office
    once. Returns how many conferences were warned."""
    today = today or timezone.localdate()
    year = today.year - 1
    warned = 0
    for conference in Conference.objects.filter(plenary_min_per_year__gt=0).select_related("region"):
        if conference.established_on and conference.established_on.year > year:
            continue
        held = plenary_count(conference, year)
        if held >= conference.plenary_min_per_year:
            continue
        try:
            with transaction.atomic():
                PlenaryShortfall.objects.create(
                    conference=conference, year=year, held=held, required=conference.plenary_min_per_year
                )
                values = {"year": year, "held": held, "required": conference.plenary_min_per_year}
                with translation.override(settings.LANGUAGE_CODE):
                    title = _("%(year)d passed without the required plenary meetings") % values
                    body = (
                        _(
                            "%(held)d plenary meetings were held in %(year)d; the conference requires "
                            "at least %(required)d a year. Please convene one."
                        )
                        % values
                    )
                _notify(
                    office_people(conference),
                    title=title,
                    body=body,
                    subject=conference,
                    url=_admin_url(conference),
                    key=f"conference.plenary.{conference.pk}.{year}",
                )
                warned += 1
        except IntegrityError:
            continue
    return warned


# Bulletins --------------------------------------------------------------------------------------------


def bulletin_compose(
    conference: Conference, *, since: datetime.datetime | None, today: datetime.date | None = None
) -> dict:
    """The bulletin's content as plain JSON: progress by unit, overdue tasks by name, tasks done since the
    last bulletin."""
    today = today or timezone.localdate()
    units = progress_by_unit(conference, today=today)
    overdue = list(overdue_tasks(conference, today=today))
    done = Task.objects.filter(conference=conference, status=Task.Status.DONE).select_related("lead_unit")
    if since is not None:
        done = done.filter(done_at__gt=since)
    done = list(done.order_by("done_at", "pk"))
    names = responsible_names(overdue + done)

    def row(task):
        return {
            "id": task.pk,
            "reference": task.reference,
            "title": task.title,
            "lead": str(task.lead_unit) if task.lead_unit_id else task.other_parties,
            "responsible": "、".join(names.get(task.pk, [])),
            "due_on": task.due_on.isoformat(),
        }

    totals = {
        k: sum(u[k] for u in units) for k in ("total", "open", "in_progress", "done", "cancelled", "overdue")
    }
    return {
        "conference": conference.name,
        "as_of": today.isoformat(),
        "since": since.isoformat() if since else None,
        "totals": totals,
        "units": units,
        "overdue": [{**row(t), "days_late": (today - t.due_on).days} for t in overdue],
        "done": [
            {**row(t), "done_at": timezone.localtime(t.done_at).date().isoformat() if t.done_at else None}
            for t in done
        ],
    }


@transaction.atomic
def bulletin_issue(
    *,
    conference: Conference,
    acting_user: User | None = None,
    kind: str = Bulletin.Kind.ON_DEMAND,
    today: datetime.date | None = None,
) -> Bulletin:
    """Issue a bulletin and send it to every member unit's people. A monthly bulletin is issued once
    per month: asking again returns the one already issued."""
    today = today or timezone.localdate()
    if acting_user is not None:
        _require_office(acting_user, conference, _("Only the conference office issues bulletins."))
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    month = today.replace(day=1) if kind == Bulletin.Kind.MONTHLY else None
    if month is not None:
        already = Bulletin.objects.filter(conference=conference, kind=kind, month=month).first()
        if already is not None:
            return already
    previous = Bulletin.objects.filter(conference=conference).order_by("-issued_at", "-pk").first()
    since = previous.issued_at if previous else None
    number = (Bulletin.objects.filter(conference=conference).aggregate(n=Max("number"))["n"] or 0) + 1
    bulletin = Bulletin.objects.create(
        conference=conference,
        number=number,
        kind=kind,
        month=month,
        since=since,
        issued_by=acting_user,
        snapshot=bulletin_compose(conference, since=since, today=today),
    )
    totals = bulletin.snapshot["totals"]
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(conference)s: bulletin No. %(number)d") % {
            "conference": conference.name,
            "number": number,
        }
        body = (
            _(
                "%(total)d tasks: %(done)d done, %(in_progress)d in progress, %(open)d open, "
                "%(overdue)d overdue."
            )
            % totals
        )
    bulletin.recipients = _notify(
        member_people(conference),
        title=title,
        body=body,
        subject=bulletin,
        url=_admin_url(bulletin),
        key=f"conference.bulletin.{bulletin.pk}",
    )
    bulletin.save(update_fields=["recipients"])
    return bulletin


def bulletins_issue_monthly(*, today: datetime.date | None = None) -> int:
    """The month's bulletin for every conference; running it again in the same month issues nothing."""
    today = today or timezone.localdate()
    issued = 0
    for conference in Conference.objects.all().iterator():
        month = today.replace(day=1)
        if Bulletin.objects.filter(conference=conference, kind=Bulletin.Kind.MONTHLY, month=month).exists():
            continue
        try:
            bulletin_issue(conference=conference, kind=Bulletin.Kind.MONTHLY, today=today)
        except IntegrityError:
            continue
        issued += 1
    return issued
