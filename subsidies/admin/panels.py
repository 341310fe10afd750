"""The fees and recognition panel on an institution's admin page: its recognitions (in force or not) and
its current fees against the guided standard, each linked."""

from django.urls import reverse
from django.utils.translation import gettext as _

from registry.admin_panels import institution_panel

from ..models import Fee, Recognition


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
    return (_("Fees and recognition"), rows) if rows else None
