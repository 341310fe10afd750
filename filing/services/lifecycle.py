"""After filing: the annual report and termination."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import notify, settle
from registry.models import Institution, User
from registry.selectors import operators_by_institution, visible

from ..models import AnnualReport, Termination
from .errors import FilingError, require_operator


@transaction.atomic
def annual_report_submit(
    *,
    institution: Institution,
    year: int,
    enrolled_children: int,
    staff_total: int,
    incidents: str,
    monthly_fees: dict,
    acting_user: User,
) -> AnnualReport:
    require_operator(acting_user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.filing_status != Institution.FilingStatus.FILED:
        raise FilingError(_("Only a filed institution reports annually."))
    if year > timezone.localdate().year:
        raise FilingError(_("The report cannot be for a future year."), {"year": [_("A future year.")]})
    values = {
        "enrolled_children": enrolled_children,
        "staff_total": staff_total,
        "incidents": incidents,
        "monthly_fees": monthly_fees,
    }
    existing = AnnualReport.objects.select_for_update().filter(institution=institution, year=year).first()
    if existing is not None:
        if existing.status != AnnualReport.Status.RETURNED:
            raise FilingError(
                _(
                    "The report for %(year)d has already been submitted. If it needs correcting, the county "
                    "health bureau can return it to you."
                )
                % {"year": year},
                {"year": [_("Already reported.")]},
            )
        for name, value in values.items():
            setattr(existing, name, value)
        existing.status = AnnualReport.Status.SUBMITTED
        existing.submitted_by, existing.submitted_at = acting_user, timezone.now()
        existing._history_user = acting_user
        existing.save()
        settle(existing)  # the operators' "returned" notice is answered
        return existing
    try:
        with transaction.atomic():
            return AnnualReport.objects.create(
                institution=institution, year=year, submitted_by=acting_user, **values
            )
    except IntegrityError:
        raise FilingError(
            _("The report for %(year)d has already been submitted.") % {"year": year},
            {"year": [_("Already reported.")]},
        ) from None


@transaction.atomic
def annual_report_return(*, report: AnnualReport, acting_user: User, reason: str) -> AnnualReport:
    """The bureau returns a submitted annual report for correction; its operators are told why."""
    if (
        not acting_user.has_perm("filing.review_filing")
        or not visible(AnnualReport.objects.filter(pk=report.pk), acting_user).exists()
    ):
        raise PermissionDenied(_("You may not return this annual report."))
    if not reason or not reason.strip():
        raise FilingError(
            _("Give the reason, so the operator knows what to correct."), {"reason": [_("Required.")]}
        )
    report = AnnualReport.objects.select_for_update().select_related("institution").get(pk=report.pk)
    if report.status != AnnualReport.Status.SUBMITTED:
        raise FilingError(_("This annual report is already back with the operator for correction."))
    report.status = AnnualReport.Status.RETURNED
    report.return_reason = reason.strip()
    report.returned_by, report.returned_at = acting_user, timezone.now()
    report._history_user = acting_user
    report.save()
    institution = report.institution
    with override(settings.LANGUAGE_CODE):
        title = _("Annual report %(year)d returned for correction: %(name)s") % {
            "year": report.year,
            "name": institution.name,
        }
    notify(
        User.objects.filter(pk__in=operators_by_institution([institution.pk]).get(institution.pk, [])),
        title=title,
        body=report.return_reason,
        subject=report,
        url=reverse("portal:annual-report", args=[institution.pk]) + f"?year={report.year}",
        key=f"annual-report-returned:{report.pk}:{report.returned_at:%Y%m%d%H%M%S}",
    )
    return report


@transaction.atomic
def termination_submit(
    *,
    institution: Institution,
    planned_on: datetime.date,
    children_plan: str,
    staff_plan: str,
    acting_user: User,
) -> Termination:
    require_operator(acting_user, institution)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.filing_status != Institution.FilingStatus.FILED:
        raise FilingError(_("Only a filed institution can file its termination."))
    if not children_plan.strip() or not staff_plan.strip():
        raise FilingError(_("Describe the plan for the children and for the staff."))
    if Termination.objects.filter(institution=institution, status=Termination.Status.SUBMITTED).exists():
        raise FilingError(_("A termination is already awaiting confirmation."))
    termination = Termination(
        institution=institution,
        planned_on=planned_on,
        children_plan=children_plan.strip(),
        staff_plan=staff_plan.strip(),
        submitted_by=acting_user,
    )
    termination._history_user = acting_user
    termination.save()
    return termination


@transaction.atomic
def termination_confirm(*, termination: Termination, acting_user: User) -> Termination:
    """The bureau confirms: the filing ends."""
    if (
        not acting_user.has_perm("filing.review_filing")
        or not visible(Termination.objects.filter(pk=termination.pk), acting_user).exists()
    ):
        raise PermissionDenied(_("You may not confirm this termination."))
    termination = Termination.objects.select_for_update().select_related("institution").get(pk=termination.pk)
    if termination.status != Termination.Status.SUBMITTED:
        raise FilingError(_("This termination has already been confirmed."))
    termination.status = Termination.Status.CONFIRMED
    termination.confirmed_by, termination.confirmed_at = acting_user, timezone.now()
    termination._history_user = acting_user
    termination.save()
    if termination.planned_on <= timezone.localdate():
        _end_filing(termination.institution, acting_user)
    # A termination dated later takes effect that day (`terminations_take_effect`); till then it is filed.
    return termination


def _end_filing(institution: Institution, actor: User) -> None:
    institution.filing_status = Institution.FilingStatus.TERMINATED
    institution._history_user = actor
    institution.save(update_fields=["filing_status", "updated_at"])


def terminations_take_effect(today: datetime.date | None = None) -> int:
    """End the filing of every institution whose confirmed termination date has come. Safe to run twice."""
    today = today or timezone.localdate()
    due = (
        Termination.objects.filter(status=Termination.Status.CONFIRMED, planned_on__lte=today)
        .exclude(institution__filing_status=Institution.FilingStatus.TERMINATED)
        .select_related("institution", "confirmed_by")
    )
    ended = 0
    for termination in due.iterator(chunk_size=500):
        with transaction.atomic():
            _end_filing(termination.institution, termination.confirmed_by)
        ended += 1
    return ended
