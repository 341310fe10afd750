"""Tasks and their transitions: creating one (from the plan or a decided item), progress reports with
attachments, done, confirmed, reopened, cancelled.

Task states (who may move them):

    open ──report──▶ in_progress
    open / in_progress ──lead unit marks done──▶ done ──office confirms──▶ done (confirmed, final)
    done (unconfirmed) ──office reopens──▶ in_progress
    open / in_progress ──office cancels──▶ cancelled

A task with no lead member unit (only "各县市区" lead it) is marked done by the office.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import User

from ..models import Conference, DecidedItem, MemberUnit, ProgressReport, Task
from ..selectors import is_office, user_units
from .common import ConferenceError, TransitionNotAllowed, _require_office, _saved

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


def title_of(text: str) -> str:
    """A task's title: the item's first sentence."""
    text = " ".join((text or "").split())
    first = re.split(r"(?<=[。；;])", text, maxsplit=1)[0].rstrip("。；;")
    return first[:255]


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
