"""The daily walk of the rectification ladder (policy data, like the filing ladders): an open
rectification past its deadline climbs from the operator and the inspecting body to the county bureau,
its head and the city. Answering it takes it off the ladder; reopening it with a new deadline starts a
new episode (the deadline is the episode), so each rung fires once per deadline. A rectification a month
overdue also enters the institution's credit record (once)."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from filing.models.escalation import Ladder
from filing.services.escalation import Subject, climb

from ..models import Rectification
from .credit import credit_from_overdue

CHUNK = 2000


def escalate_rectifications(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            Ladder.RECTIFICATION: climb(Ladder.RECTIFICATION, _overdue(today)),
            "credit_records": credit_from_overdue(today=today),
        }


def _overdue(today) -> Iterator[Subject]:
    rows = (
        Rectification.objects.filter(status=Rectification.Status.OPEN, deadline__lt=today)
        .values_list(
            "pk",
            "institution_id",
            "region_id",
            "institution__name",
            "required",
            "deadline",
            "inspection__authority_id",
        )
        .order_by("pk")
    )
    for pk, institution_id, county, name, required, deadline, authority_id in rows.iterator(CHUNK):
        days = (today - deadline).days
        values = {"institution": name, "required": required, "day": deadline.isoformat(), "days": days}
        yield Subject(
            Ladder.RECTIFICATION,
            pk,
            institution_id,
            county,
            name,
            deadline,
            days,
            title=_("Rectification overdue: %(institution)s") % values,
            body=_(
                "%(institution)s has not answered the rectification “%(required)s”, due on %(day)s "
                "(%(days)d days ago)."
            )
            % values,
            operator_url=reverse("supervision:institution", args=[institution_id]),
            staff_url=reverse("admin:inspections_rectification_change", args=[pk]),
            authority_id=authority_id,
        )
