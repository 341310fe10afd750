"""After filing: the annual report and termination."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Institution, User
from registry.selectors import visible

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
    try:
        with transaction.atomic():
            return AnnualReport.objects.create(
                institution=institution,
                year=year,
                enrolled_children=enrolled_children,
                staff_total=staff_total,
                incidents=incidents,
                monthly_fees=monthly_fees,
                submitted_by=acting_user,
            )
    except IntegrityError:
        raise FilingError(
            _("The report for %(year)d has already been submitted.") % {"year": year},
            {"year": [_("Already reported.")]},
        ) from None


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
    institution = termination.institution
    institution.filing_status = Institution.FilingStatus.TERMINATED
    institution._history_user = acting_user
    institution.save(update_fields=["filing_status", "updated_at"])
    return termination
