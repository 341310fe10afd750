"""Quality-assessment rubrics in the admin: dimensions, requirements (points, veto) and grade bands, per
jurisdiction, versioned like checklists; a version downloads as a workbook, and an edited workbook is
checked (a dry run, every row's problems listed) and imported as the next version."""

import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import NationalOrLocal

from .. import rubric_sheet
from ..models import GradeBand, Rubric, RubricDimension, RubricRequirement
from ..services.rubrics import rubric_import, rubric_new_version
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
    fields = ["position", "dimension", "code", "text", "how_to_verify", "points", "veto", "source", "prefill"]

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
    change_form_template = "admin/inspections/rubric/change_form.html"
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

    def get_urls(self):
        return [
            path(
                "<int:pk>/rubric.xlsx",
                self.admin_site.admin_view(self.export_view),
                name="inspections_rubric_export",
            ),
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_view),
                name="inspections_rubric_import",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, pk):
        rubric = self.get_object(request, str(pk))
        if rubric is None:
            raise Http404
        if not self.has_view_permission(request, rubric):
            raise PermissionDenied
        response = HttpResponse(
            rubric_sheet.export(rubric),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{rubric.name}-v{rubric.version}.xlsx"
        )
        return response

    def import_view(self, request, pk):
        """Upload an edited workbook; checking is a dry run (nothing saved, every row's problems listed); a
        checked workbook is kept for the import so it need not be uploaded again."""
        rubric = self.get_object(request, str(pk))
        if rubric is None:
            raise Http404
        if not request.user.has_perm("inspections.add_rubric") or not (
            rubric.region_id or request.user.is_superuser
        ):
            raise PermissionDenied
        change_url = reverse("admin:inspections_rubric_change", args=[pk])
        pending = request.session.get(IMPORT_SESSION_KEY, {})
        report, token, problem = None, "", ""
        if request.method == "POST":
            upload = request.FILES.get("sheet")
            token = request.POST.get("token", "")
            stored = pending.get(token) if token else None
            if upload is None and not (stored and stored["rubric"] == rubric.pk):
                problem = gettext("Choose the workbook to import.")
            else:
                try:
                    requirements, bands = rubric_sheet.read(
                        upload or default_storage.open(stored["path"], "rb")
                    )
                except rubric_sheet.SheetError as error:
                    problem = str(error)
                else:
                    report = rubric_import(
                        rubric=rubric,
                        requirements=requirements,
                        bands=bands,
                        acting_user=request.user,
                        dry_run=request.POST.get("action") != "import",
                    )
                    if report.saved is not None:
                        if stored:
                            default_storage.delete(stored["path"])
                            pending.pop(token, None)
                            request.session[IMPORT_SESSION_KEY] = pending
                        messages.success(
                            request,
                            gettext("Imported as version %(version)s, now the current one.")
                            % {"version": report.saved.version},
                        )
                        return redirect(reverse("admin:inspections_rubric_change", args=[report.saved.pk]))
                    if report.ok and upload is not None:
                        token = uuid.uuid4().hex
                        upload.seek(0)
                        saved_path = default_storage.save(f"imports/{token}.xlsx", ContentFile(upload.read()))
                        pending[token] = {"rubric": rubric.pk, "path": saved_path}
                        request.session[IMPORT_SESSION_KEY] = pending
                    elif not report.ok:
                        token = ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": rubric,
            "report": report,
            "token": token,
            "problem": problem,
            "max_rows": rubric_sheet.MAX_ROWS,
            "title": gettext("Import a new version of %(rubric)s") % {"rubric": rubric.name},
            "change_url": change_url,
            "export_url": reverse("admin:inspections_rubric_export", args=[pk]),
        }
        return TemplateResponse(request, "admin/inspections/rubric/import.html", context)


IMPORT_SESSION_KEY = "rubric-imports"
