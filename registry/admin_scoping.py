"""The admin side of the one scoping rule: every scoped admin list and choice starts from `visible`."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .selectors import visible


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history reads an object's history (and reverts it) from the history rows, bypassing
    `get_queryset`; both pages answer 404 unless the object itself is visible to the person.

    History is read-only everywhere: a revert would write an old row back over state that a workflow
    owns (an accepted filing's institution back to 未备案) with none of its transitions, checks or
    notices. Changes go through the change form and the services; the past is only read."""

    def revert_disabled(self, request, obj=None):
        return True

    def _require_visible(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            # Records nobody edits (reports, logs) keep no history: Django's own change log page.
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context=extra_context)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        if request.method != "GET":
            raise PermissionDenied(_("History is read-only; change the record itself."))
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


class ReadOnlyAdminMixin:
    """For records people read but never write in the admin: reports, logs, what operators submit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(ScopedHistoryAdmin):
    """Admin for a model with a `scope`: lists, detail pages, history and foreign-key choices show
    only what the signed-in person may see."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related, "scope") and "queryset" not in kwargs:
            kwargs["queryset"] = visible(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def county_filter(region_path: str):
    """A list filter offering only the counties that appear in the rows the person may see, instead of
    every division in the country."""
    from django.contrib import admin
    from django.utils.translation import gettext_lazy as _

    from .models import Region

    class CountyFilter(admin.SimpleListFilter):
        title = _("county")
        parameter_name = "county"

        def lookups(self, request, model_admin):
            rows = model_admin.get_queryset(request).values(region_path).distinct()
            return [(r.pk, r.name) for r in Region.objects.filter(pk__in=rows).order_by("pk")]

        def queryset(self, request, queryset):
            return queryset.filter(**{region_path: self.value()}) if self.value() else queryset

    return CountyFilter
