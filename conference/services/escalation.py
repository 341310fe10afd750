"""Escalation: the rung a task has reached, who hears of it, firing each rung once; and the warning when
a year passes without the required plenary meetings."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Conference, ConferenceRole, Escalation, PlenaryShortfall, Task
from ..selectors import holders, office_people, plenary_count, unit_holders
from .common import _admin_url, _notify

R = Escalation.Rung
RUNG_ORDER = (R.LONG_OVERDUE, R.OVERDUE, R.DUE_SOON)


def rungs_reached(task: Task, conference: Conference, today: datetime.date) -> list[str]:
    """Every rung a task has reached today, lowest first. Once it is overdue, "due soon" is moot; but a
    task first seen long overdue still tells the lead unit and the office as well as the convenor."""
    late = (today - task.due_on).days
    if late > conference.overdue_days:
        return [R.OVERDUE] + ([R.LONG_OVERDUE] if late > conference.long_overdue_days else [])
    if -late <= conference.due_soon_days:
        return [R.DUE_SOON]
    return []


def rung_for(task: Task, conference: Conference, today: datetime.date) -> str | None:
    """The highest rung a task has reached today, if any."""
    reached = rungs_reached(task, conference, today)
    return reached[-1] if reached else None


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
    """Fire each rung the task has reached that has not fired yet. Returns the highest fired, or None."""
    today = today or timezone.localdate()
    if not task.is_active:
        return None
    fired = None
    for rung in rungs_reached(task, task.conference, today):
        fired = _fire(task, rung, today) or fired
    return fired


def _fire(task: Task, rung: str, today: datetime.date) -> str | None:
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
            done = {e.rung for e in task.escalations.all()}
            for rung in rungs_reached(task, conference, today):
                if rung not in done and _fire(task, rung, today):
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
