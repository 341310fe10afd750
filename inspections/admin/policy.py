"""Checklists and rectification deadlines, per jurisdiction (national rows, a region's own)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_scoping import NationalOrLocal
from registry.models import Region

from ..models import Checklist, ChecklistItem, RectificationPolicy
from ..services.checklists import checklist_new_version, checklist_used


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["position", "code", "text", "legal_basis", "severity"]

    def _editable(self, request, obj):
        return obj is None or (
            not checklist_used(obj) and self.parent_admin.has_change_permission(request, obj)
        )

    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        self.parent_admin = admin_site._registry.get(parent_model)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Checklist)
class ChecklistAdmin(RegionalPolicyAdmin):
    inlines = [ChecklistItemInline]
    list_display = ["name", "department", "version", "current", "region_name", "item_count"]
    list_filter = ["department", "current", NationalOrLocal]
    search_fields = ["name", "code"]
    fields = ["region", "department", "code", "name", "version", "current", "basis"]
    readonly_fields = ["version", "current"]
    change_form_template = "admin/inspections/checklist/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_n=Count("items"))

    @admin.display(description=_("items"), ordering="items_n")
    def item_count(self, obj):
        return obj.items_n

    def has_change_permission(self, request, obj=None):
        if obj is not None and checklist_used(obj):
            return False  # an inspection keeps the version it used: start a new one
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and checklist_used(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        checklist = self.get_object(request, object_id)
        extra = {}
        if checklist is not None:
            may_add = request.user.has_perm("inspections.add_checklist")
            extra = {
                "used": checklist_used(checklist),
                "can_version": may_add
                and checklist.current
                and (checklist.region_id or request.user.is_superuser),
                "can_adopt": may_add
                and checklist.region_id is None
                and request.user.authority_id is not None,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [
            path(
                "<int:pk>/new-version/",
                self.admin_site.admin_view(require_POST(self.new_version_view)),
                name="inspections_checklist_new_version",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request, pk):
        if not request.user.has_perm("inspections.add_checklist"):
            raise PermissionDenied
        checklist = self.get_object(request, str(pk))
        if checklist is None:
            raise Http404
        region = None
        if request.POST.get("adopt") and checklist.region_id is None:
            region = Region.objects.filter(authorities=request.user.authority_id).first()
            if region is None:
                raise PermissionDenied
        copy = checklist_new_version(checklist=checklist, acting_user=request.user, region=region)
        messages.success(
            request,
            gettext("Version %(version)s started from the earlier one; edit its items and save.")
            % {"version": copy.version},
        )
        return redirect(reverse("admin:inspections_checklist_change", args=[copy.pk]))


@admin.register(RectificationPolicy)
class RectificationPolicyAdmin(RegionalPolicyAdmin):
    list_display = ["severity", "days", "may_suspend", "region_name"]
    list_filter = ["severity", NationalOrLocal]
    fields = ["region", "severity", "days", "may_suspend"]
