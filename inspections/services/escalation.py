"""The daily walk of the rectification ladder (policy data, like the filing ladders): an open
rectification past its deadline climbs from the operator and the inspecting body to the county bureau,
its head and the city. Answering it takes it off the ladder; reopening it with a new deadline starts a
new episode (the deadline is the episode), so each rung fires once per deadline. A rectification a month
overdue also enters the institution's credit record (once). The same daily walk climbs the re-assessment
ladder: an institution whose published quality grade is past its re-assessment date and in no later round."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from filing.models.escalation import Ladder
from filing.services.escalation import Subject, climb
from registry.models.institutions import FilingStatus

from ..models import Assessment, Rectification
from .credit import credit_from_overdue

CHUNK = 2000


def escalate_rectifications(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            Ladder.RECTIFICATION: climb(Ladder.RECTIFICATION, _overdue(today)),
            Ladder.REASSESSMENT: climb(Ladder.REASSESSMENT, _reassessment_due(today)),
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


def _reassessment_due(today) -> Iterator[Subject]:
    """Filed institutions whose latest quality assessment is published and due again (no later round has
    included them)."""
    later = Assessment.objects.filter(institution=OuterRef("institution"), pk__gt=OuterRef("pk"))
    rows = (
        Assessment.objects.filter(
            status=Assessment.Status.PUBLISHED,
            reassess_by__lt=today,
            institution__filing_status=FilingStatus.FILED,
        )
        .filter(~Exists(later))
        .values_list("pk", "institution_id", "region_id", "institution__name", "grade", "reassess_by")
        .order_by("pk")
    )
    for pk, institution_id, county, name, grade, due in rows.iterator(CHUNK):
        days = (today - due).days
        values = {"institution": name, "grade": grade, "day": due.isoformat(), "days": days}
        yield Subject(
            Ladder.REASSESSMENT,
            pk,
            institution_id,
            county,
            name,
            due,
            days,
            title=_("Quality re-assessment overdue: %(institution)s") % values,
            body=_(
                "%(institution)s (last graded %(grade)s) was due to be assessed again by %(day)s "
                "(%(days)d days ago). Include it in a new assessment round."
            )
            % values,
            operator_url=reverse("supervision:institution", args=[institution_id]),
            staff_url=reverse("admin:inspections_assessment_change", args=[pk]),
        )
