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


class VersionedPolicyAdmin(RegionalPolicyAdmin):
    """Policy kept in versions (checklists, rubrics): 建立新版本 copies the current version in its region, and
    采用为本辖区版本 copies a national one into the person's jurisdiction. Subclasses say how to copy."""

    change_form_template = "admin/inspections/versioned_change_form.html"

    def used(self, obj) -> bool:
        return False  # a subclass says when a version is in use; each defines new_version(obj, user, region)

    def _names(self):
        return self.model._meta.app_label, self.model._meta.model_name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            app, model = self._names()
            may_add = request.user.has_perm(f"{app}.add_{model}")
            extra = {
                "used": self.used(obj),
                "can_version": may_add and obj.current and (obj.region_id or request.user.is_superuser),
                "can_adopt": may_add and obj.region_id is None and request.user.authority_id is not None,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        app, model = self._names()
        return [
            path(
                "<int:pk>/new-version/",
                self.admin_site.admin_view(require_POST(self.new_version_view)),
                name=f"{app}_{model}_new_version",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request, pk):
        app, model = self._names()
        if not request.user.has_perm(f"{app}.add_{model}"):
            raise PermissionDenied
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        region = None
        if request.POST.get("adopt") and obj.region_id is None:
            region = Region.objects.filter(authorities=request.user.authority_id).first()
            if region is None:
                raise PermissionDenied
        copy = self.new_version(obj, request.user, region)
        messages.success(
            request,
            gettext("Version %(version)s started from the earlier one; edit its items and save.")
            % {"version": copy.version},
        )
        return redirect(reverse(f"admin:{app}_{model}_change", args=[copy.pk]))


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
class ChecklistAdmin(VersionedPolicyAdmin):
    inlines = [ChecklistItemInline]
    list_display = ["name", "department", "version", "current", "region_name", "item_count"]
    list_filter = ["department", "current", NationalOrLocal]
    search_fields = ["name", "code"]
    fields = ["region", "department", "code", "name", "version", "current", "basis"]
    readonly_fields = ["version", "current"]

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

    def used(self, obj) -> bool:
        return checklist_used(obj)

    def new_version(self, obj, acting_user, region):
        return checklist_new_version(checklist=obj, acting_user=acting_user, region=region)


@admin.register(RectificationPolicy)
class RectificationPolicyAdmin(RegionalPolicyAdmin):
    list_display = ["severity", "days", "may_suspend", "region_name"]
    list_filter = ["severity", NationalOrLocal]
    fields = ["region", "severity", "days", "may_suspend"]
