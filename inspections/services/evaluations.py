"""Recording a health evaluation: by the maternal and child health institution of the jurisdiction or
the county health bureau."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services.errors import FilingError
from filing.services.materials import check_upload
from registry.models import Authority, Institution, User
from registry.selectors import authority_kind, visible

from ..models import HealthEvaluation
from .errors import InspectionError

EVALUATORS = {Authority.Kind.MCH, Authority.Kind.HEALTH}


@transaction.atomic
def evaluation_record(
    *,
    institution: Institution,
    evaluated_on: datetime.date,
    result: str,
    valid_until: datetime.date,
    report_number: str = "",
    report=None,
    acting_user: User,
) -> HealthEvaluation:
    if authority_kind(acting_user) not in EVALUATORS or not acting_user.has_perm(
        "inspections.add_healthevaluation"
    ):
        raise PermissionDenied(
            _("Health evaluations are recorded by the maternal and child health institution.")
        )
    if not visible(Institution.objects.filter(pk=institution.pk), acting_user).exists():
        raise PermissionDenied(_("This institution is outside your jurisdiction."))
    errors: dict[str, list[str]] = {}
    if evaluated_on > timezone.localdate():
        errors["evaluated_on"] = [_("The evaluation date cannot be in the future.")]
    if valid_until <= evaluated_on:
        errors["valid_until"] = [_("Valid until must come after the evaluation date.")]
    if result not in HealthEvaluation.Result.values:
        errors["result"] = [_("Choose pass or fail.")]
    content_type = ""
    if report:
        try:
            content_type = check_upload(report)
        except FilingError as error:
            errors["report"] = [error.message]
    if errors:
        raise InspectionError(_("The evaluation could not be recorded; see below."), errors)
    return HealthEvaluation.objects.create(
        institution=institution,
        region_id=institution.region_id,
        authority_id=acting_user.authority_id,
        evaluated_on=evaluated_on,
        result=result,
        valid_until=valid_until,
        report_number=report_number.strip(),
        report=report or "",
        report_name=report.name[:255] if report else "",
        report_type=content_type,
        recorded_by=acting_user,
    )
