from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..admin_panels import render_panels
from ..admin_scoping import NationalOrLocal, ScopedAdmin, ScopedHistoryAdmin, county_filter
from ..models import Authority, Institution, PushRoute, Region, User
from ..roles import Role
from ..selectors import jurisdiction_regions
from ..services import institutions_moved


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    show_full_result_count = False


@admin.register(Authority)
class AuthorityAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region__level"]
    search_fields = ["name", "region__code", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(PushRoute)
class PushRouteAdmin(ScopedHistoryAdmin):
    """National rules are visible to everyone who may view rules; regional ones within jurisdiction."""

    list_display = ["__str__", "region", "authority_kind", "route", "allowed"]
    list_filter = ["authority_kind", "route", "allowed", NationalOrLocal]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(Q(region__isnull=True) | Q(region__in=jurisdiction_regions(request.user)))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False  # only the platform administrators edit the national rules
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A regional rule stays inside the person's jurisdiction; only superusers write national rules.
        if db_field.name == "region" and not request.user.is_superuser:
            kwargs["queryset"] = Region.objects.filter(pk__in=jurisdiction_regions(request.user))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    list_display = ["name", "uscc", "route", "county", "filing_status", "employer_run", "updated_at"]
    region_columns = ("county",)
    list_filter = ["filing_status", "care_form", "route", "employer_run", county_filter("region")]
    search_fields = ["name", "address", "uscc"]
    search_exact_fields = ("uscc",)
    search_help_text = _("Name, address or part of a USCC; a whole USCC is matched exactly.")
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    # The registration body owns the USCC and route; the filing decides the filing status.
    readonly_fields = ["uscc", "route", "care_form", "filing_status", "created_at", "updated_at"]
    show_full_result_count = False

    @admin.display(description=Institution._meta.get_field("region").verbose_name, ordering="region")
    def county(self, obj):
        return obj.region.name

    change_form_template = "admin/registry/institution/change_form.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "region" in form.changed_data:
            institutions_moved([obj.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        institution = self.get_object(request, object_id)
        records = render_panels(request, institution) if institution is not None else ""
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "records": records}
        )


def role_label(group: Group) -> str:
    """A role group by its label; a group that is not a role by its own name."""
    try:
        return str(Role(group.name).label)
    except ValueError:
        return group.name


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return role_label(obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, ScopedHistoryAdmin):
    list_display = ["username", "full_name", "authority", "roles", "is_active", "last_login"]
    list_filter = ["is_active", RoleFilter, "authority__kind"]
    search_fields = ["username", "first_name", "last_name", "email", "authority__name"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Jurisdiction"), {"fields": ("authority", "phone")}))

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("groups")
        if request.user.is_superuser:
            return qs
        return qs.filter(authority__region__in=jurisdiction_regions(request.user))

    @admin.display(description=pgettext_lazy("person", "name"), ordering="first_name")
    def full_name(self, obj):
        return obj.get_full_name() or "—"

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return "、".join(sorted(role_label(group) for group in obj.groups.all())) or "—"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["form_class"] = RoleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)
