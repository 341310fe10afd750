from django.contrib import admin

from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_scoping import NationalOrLocal, ScopedAdmin
from registry.models import Region
from registry.selectors import visible

from ..models import GuidedFee, PriceCapRule, ReferenceYear


class WithRegionsAboveAdmin(ScopedAdmin):
    """Rows of the person's jurisdiction, which they keep, and those of the regions above it, which they
    read: a county's price cap may rest on its city's income figure."""

    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    search_fields = ["region__name", "region__code"]

    def get_queryset(self, request):
        qs = self.model._default_manager.select_related("region")
        user = request.user
        if user.is_superuser:
            return qs
        own = Region.objects.filter(authorities=user.authority_id).values_list(
            "pk", "parent_id", "parent__parent_id"
        )
        above = {code for row in own for code in row[1:] if code}
        return visible(qs, user) | qs.filter(region_id__in=above)

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and not request.user.is_superuser
            and not visible(self.model._default_manager.filter(pk=obj.pk), request.user).exists()
        ):
            return False  # a region above the person's own: read only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReferenceYear)
class ReferenceYearAdmin(WithRegionsAboveAdmin):
    list_display = [
        "region",
        "year",
        "income_all",
        "income_urban",
        "income_rural",
        "children_under_3",
        "population",
    ]
    list_filter = ["year"]
    fields = [
        "region",
        "year",
        "income_all",
        "income_urban",
        "income_rural",
        "children_under_3",
        "population",
        "source",
    ]


@admin.register(GuidedFee)
class GuidedFeeAdmin(WithRegionsAboveAdmin):
    list_display = ["region", "year", "service_type", "monthly_fee"]
    list_filter = ["year", "service_type"]
    fields = ["region", "year", "service_type", "monthly_fee"]


@admin.register(PriceCapRule)
class PriceCapRuleAdmin(RegionalPolicyAdmin):
    list_display = ["region_name", "percent", "income", "recognition_months"]
    list_filter = [NationalOrLocal]
    search_fields = ["region__code", "region__name"]
    fields = ["region", "percent", "income", "recognition_months"]
