"""The supervision panel on an institution's admin page: its inspections, open and overdue rectifications,
a suspension in force, its latest quality assessment (grade and score per dimension) and serious credit
records, each linked to the filtered list."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.admin_panels import institution_panel
from registry.selectors import visible

from ..models import Assessment, CreditRecord, Inspection, Rectification, Suspension


@institution_panel
def supervision_panel(request, institution):
    if not request.user.has_perm("inspections.view_inspection"):
        return None
    today = timezone.localdate()
    rows = []
    inspections = visible(Inspection.objects.filter(institution=institution), request.user)
    count = inspections.exclude(status__in=[Inspection.Status.PLANNED, Inspection.Status.CANCELLED]).count()
    url = reverse("admin:inspections_inspection_changelist") + f"?q={institution.uscc}"
    rows.append((_("%(count)d inspections recorded") % {"count": count}, url))
    rectifications = visible(Rectification.objects.filter(institution=institution), request.user)
    open_count = rectifications.exclude(status=Rectification.Status.CLOSED).count()
    if open_count:
        overdue = rectifications.filter(status=Rectification.Status.OPEN, deadline__lt=today).count()
        rows.append(
            (
                _("%(open)d rectifications open, %(overdue)d overdue")
                % {"open": open_count, "overdue": overdue},
                reverse("admin:inspections_rectification_changelist") + f"?q={institution.uscc}",
            )
        )
    suspension = Suspension.objects.filter(institution=institution, lifted_on__isnull=True).first()
    if suspension is not None:
        rows.append(
            (
                _("Suspended since %(day)s") % {"day": suspension.starts_on.isoformat()},
                reverse("admin:inspections_suspension_change", args=[suspension.pk]),
            )
        )
    assessment = (
        visible(Assessment.objects.filter(institution=institution), request.user)
        .filter(
            status__in=[Assessment.Status.SCORED, Assessment.Status.PUBLISHED, Assessment.Status.APPEALED]
        )
        .order_by("-scored_at")
        .first()
    )
    if assessment is not None:
        dimensions = "；".join(
            f"{name} {pair[0]}/{pair[1]}" for name, pair in assessment.by_dimension.items()
        )
        rows.append(
            (
                _("Quality assessment %(grade)s (%(percent)s%%, %(status)s): %(dimensions)s")
                % {
                    "grade": assessment.grade,
                    "percent": assessment.percent,
                    "status": assessment.get_status_display(),
                    "dimensions": dimensions,
                },
                reverse("admin:inspections_assessment_change", args=[assessment.pk]),
            )
        )
    serious = CreditRecord.objects.filter(
        institution=institution, severity=CreditRecord.Severity.SERIOUS
    ).count()
    if serious:
        rows.append(
            (
                _("%(count)d serious bad credit records") % {"count": serious},
                reverse("admin:inspections_creditrecord_changelist") + f"?q={institution.uscc}",
            )
        )
    return _("Supervision"), rows
