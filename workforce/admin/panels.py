"""The staff panel on an institution's admin page: the roster's size, its certification rate and what has
lapsed, linked to the filtered roster."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.admin_panels import institution_panel
from registry.selectors import visible

from ..models import Employment
from ..selectors import certification_total, roster


@institution_panel
def staff_panel(request, institution):
    if not request.user.has_perm("workforce.view_employment"):
        return None
    employments = visible(Employment.objects.filter(institution=institution), request.user)
    today = timezone.localdate()
    employed = employments.filter(ends_on__isnull=True).count()
    roster_url = (
        reverse("admin:workforce_employment_changelist")
        + f"?institution__id__exact={institution.pk}&open=yes"
    )
    rows = [(_("%(count)d employed now") % {"count": employed}, roster_url)]
    if not request.user.has_perm("workforce.view_person"):
        return _("Staff register"), rows  # public security: no certificates or health data
    total = certification_total(employments, today)
    if total["staff"]:
        rows.append(
            (
                _("Certification rate %(rate)d%% (%(certified)d of %(staff)d in care roles)")
                % {**total, "rate": round(total["rate"] * 100)},
                roster_url + "&certified=no",
            )
        )
    current = roster(employments.filter(ends_on__isnull=True), today)
    lapsed = current.filter(Q(health_until__isnull=True) | Q(health_until__lt=today)).count()
    if lapsed:
        rows.append(
            (_("%(count)d without a valid health check") % {"count": lapsed}, roster_url + "&health=expired")
        )
    flagged = employments.filter(ends_on__isnull=True, ban_flagged=True).count()
    if flagged:
        rows.append(
            (
                _("%(count)d under a ban, still employed") % {"count": flagged},
                roster_url + "&ban_flagged__exact=1",
            )
        )
    return _("Staff register"), rows
