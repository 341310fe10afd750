"""The fees, recognition and subsidies panel on an institution's admin page: its recognitions (in force or
not), its current fees against the guided standard and its subsidy applications, each linked."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from registry.admin_panels import institution_panel

from ..models import Application, Fee, Recognition


@institution_panel
def subsidies_panel(request, institution):
    rows = []
    if request.user.has_perm("subsidies.view_recognition"):
        for recognition in Recognition.objects.filter(institution=institution).order_by("-applied_at", "-pk"):
            text = f"{recognition.get_kind_display()} · {recognition.get_status_display()}"
            if recognition.in_force():
                text += " · " + _("until %(day)s") % {"day": recognition.valid_until.isoformat()}
            rows.append((text, reverse("admin:subsidies_recognition_change", args=[recognition.pk])))
    if request.user.has_perm("subsidies.view_fee"):
        for fee in Fee.objects.filter(institution=institution).order_by("service_type"):
            text = _("%(service)s %(fee)s yuan") % {
                "service": fee.get_service_type_display(),
                "fee": fee.monthly_fee,
            }
            if fee.over_guided:
                text += " · " + _("over the guided standard (%(fee)s yuan)") % {"fee": fee.guided_fee}
            rows.append((text, reverse("admin:subsidies_fee_change", args=[fee.pk])))
    if request.user.has_perm("subsidies.view_application"):
        applications = Application.objects.filter(institution=institution)
        total = applications.count()
        if total:
            paid = applications.filter(status=Application.Status.PAID).aggregate(s=Sum("amount"))["s"] or 0
            rows.append(
                (
                    _("%(n)d subsidy applications, %(paid)s yuan paid") % {"n": total, "paid": paid},
                    reverse("admin:subsidies_application_changelist") + f"?q={institution.uscc}",
                )
            )
    return (_("Fees, recognition and subsidies"), rows) if rows else None
