"""Bulletins: composing the content, issuing one to every member unit's people, the monthly run."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.models import User

from ..models import Bulletin, Conference, Task
from ..selectors import member_people, overdue_tasks, progress_by_unit, responsible_names
from .common import _admin_url, _notify, _require_office


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
