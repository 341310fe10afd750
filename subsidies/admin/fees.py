from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, county_filter

from ..models import Fee


class ChangedThisYear(admin.SimpleListFilter):
    title = _("fee changed")
    parameter_name = "changed"

    def lookups(self, request, model_admin):
        return [("year", _("this year")), ("before", _("before this year"))]

    def queryset(self, request, queryset):
        start = timezone.localdate().replace(month=1, day=1)
        if self.value() == "year":
            return queryset.filter(changed_on__gte=start)
        if self.value() == "before":
            return queryset.filter(changed_on__lt=start)
        return queryset


@admin.register(Fee)
class FeeAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Every filed institution's current fee per service type; market regulation filters the ones over the
    guided standard or changed this year, and exports them."""

    list_display = [
        "institution",
        "region",
        "service_type",
        "monthly_fee",
        "guided_fee",
        "over_guided",
        "changed_on",
        "previous_fee",
        "source",
        "source_date",
    ]
    list_select_related = ["institution", "region"]
    list_filter = [
        county_filter("region"),
        "service_type",
        "over_guided",
        ChangedThisYear,
        "non_profit",
        "source",
    ]
    search_fields = ["institution__name"]
    search_exact_fields = ("institution__uscc",)
    region_columns = ("region",)
