"""Quality-assessment rubrics in the admin: dimensions, requirements (points, veto) and grade bands, per
jurisdiction, versioned like checklists."""

from django.contrib import admin
from django.db.models import Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import NationalOrLocal

from ..models import GradeBand, Rubric, RubricDimension, RubricRequirement
from ..services.rubrics import rubric_new_version
from .policy import VersionedPolicyAdmin


def plain(points) -> str:
    """Points as people write them: 20, 2.5 (the database may say 20.0)."""
    return format(points.normalize(), "f") if points is not None else ""


class RubricPart(admin.TabularInline):
    """An inline that may change only where its rubric may be changed."""

    extra = 0

    def _editable(self, request, obj):
        rubric_admin = self.admin_site._registry[Rubric]
        return obj is None or rubric_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class DimensionInline(RubricPart):
    model = RubricDimension
    fields = ["position", "code", "name"]


class RequirementInline(RubricPart):
    model = RubricRequirement
    fields = ["position", "dimension", "code", "text", "how_to_verify", "points", "veto", "source"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            rubric_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = RubricDimension.objects.filter(rubric_id=rubric_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BandInline(RubricPart):
    model = GradeBand
    fields = ["grade", "min_percent", "passing"]


@admin.register(Rubric)
class RubricAdmin(VersionedPolicyAdmin):
    inlines = [DimensionInline, RequirementInline, BandInline]
    list_display = ["name", "version", "current", "region_name"]
    list_filter = ["current", NationalOrLocal]
    search_fields = ["name", "code"]
    fields = ["region", "code", "name", "version", "current", "sources", "points"]
    readonly_fields = ["version", "current", "points"]

    @admin.display(description=_("points by dimension"))
    def points(self, obj):
        if obj.pk is None:
            return "—"
        rows = (
            RubricRequirement.objects.filter(rubric=obj)
            .values_list("dimension__code", "dimension__name")
            .annotate(total=Sum("points"))
            .order_by("dimension__position")
        )
        total = sum(r[2] for r in rows)
        return format_html(
            "{}<br><strong>{}</strong>",
            format_html_join(mark_safe("<br>"), "{} {}：{}", ((c, n, plain(p)) for c, n, p in rows)),
            gettext("Total: %(total)s points") % {"total": plain(total)},
        )

    def new_version(self, obj, acting_user, region):
        return rubric_new_version(rubric=obj, acting_user=acting_user, region=region)
