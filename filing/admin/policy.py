"""The filing policy of each jurisdiction: the standard's numbers, the review limit, the materials asked
for. Rows without a region are the national defaults (see `filing.models.policy`)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import NationalOrLocal, ScopedAdmin
from registry.selectors import visible

from ..models import FilingPolicy, MaterialRequirement


class RegionalPolicyAdmin(ScopedAdmin):
    """Like the push-route rules: everyone who may read policy sees the national rows and those of the
    regions in their jurisdiction; staff with change permission edit their jurisdiction's rows; only
    platform administrators edit, add or delete national rows."""

    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    def get_queryset(self, request):
        qs = self.model._default_manager.select_related("region")
        return visible(qs, request.user) | qs.filter(region__isnull=True)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser and "region" in form.base_fields:
            # Leaving the region empty would create or move a row to the national level.
            form.base_fields["region"].required = True
            form.base_fields["region"].help_text = _("The region in your jurisdiction this row applies to.")
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False  # only the platform administrators edit the national rows
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("region"), ordering="region")
    def region_name(self, obj):
        return obj.region or _("National defaults")


@admin.register(FilingPolicy)
class FilingPolicyAdmin(RegionalPolicyAdmin):
    list_display = [
        "region_name",
        "review_working_days",
        "max_infant_class",
        "max_toddler_class",
        "max_older_toddler_class",
        "max_mixed_class",
        "min_lease_years",
    ]
    list_filter = [NationalOrLocal]
    search_fields = ["region__code", "region__name"]
    fieldsets = [
        (None, {"fields": ["region", "review_working_days"]}),
        (
            _("classes"),
            {
                "fields": [
                    "max_infant_class",
                    "max_toddler_class",
                    "max_older_toddler_class",
                    "max_mixed_class",
                    "infants_per_carer",
                    "toddlers_per_carer",
                    "older_toddlers_per_carer",
                    "mixed_per_carer",
                ]
            },
        ),
        (_("Premises"), {"fields": ["min_lease_years", "min_outdoor_area_per_child"]}),
        (_("Staff"), {"fields": ["min_health_staff", "min_security_staff"]}),
        (
            _("Home-based care points"),
            {"fields": ["home_point_max_children", "home_point_children_per_carer"]},
        ),
        (_("Kindergartens"), {"fields": ["kindergartens_file"]}),
        (_("Health evaluation"), {"fields": ["health_evaluation_rule"]}),
    ]


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(RegionalPolicyAdmin):
    list_display = ["name", "code", "region_name", "care_form", "required", "active", "position"]
    list_filter = ["required", "active", NationalOrLocal]
    search_fields = ["name", "code", "region__name"]
    ordering = ["region", "position", "code"]
    fields = ["region", "code", "name", "help_text", "care_form", "required", "active", "position"]
