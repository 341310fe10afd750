import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_export import XLSX
from registry.admin_scoping import NationalOrLocal, ScopedAdmin
from registry.models import Region
from registry.selectors import visible
from registry.spreadsheets import append, stream_workbook

from ..models import GuidedFee, PriceCapRule, ReferenceYear
from ..services import reference_import


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


IMPORT_SESSION_KEY = "reference-imports"


@admin.register(ReferenceYear)
class ReferenceYearAdmin(WithRegionsAboveAdmin):
    change_list_template = "admin/subsidies/referenceyear/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="subsidies_referenceyear_import"),
            path("template.xlsx", view(self.template_view), name="subsidies_referenceyear_template"),
            *super().get_urls(),
        ]

    def template_view(self, request):
        """An empty workbook with the columns in order, and a row per region of the person's own."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        book = Workbook(write_only=True)
        sheet = book.create_sheet(gettext("reference figures"))
        append(sheet, reference_import.headers(), font=Font(bold=True))
        year = timezone.localdate().year - 1
        for code in Region.objects.filter(authorities=request.user.authority_id).values_list("pk", flat=True):
            append(sheet, [code, year, None, None, None, None, None, ""])
        response = StreamingHttpResponse(stream_workbook(book), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{gettext('reference figures')}.xlsx"
        )
        return response

    def import_view(self, request):
        """Check a workbook (a dry run: nothing saved, every row's problems listed), then import the checked
        rows, kept in the session, so the file need not be chosen again."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        pending = request.session.get(IMPORT_SESSION_KEY, {})
        report, token = None, ""
        if request.method == "POST":
            token = request.POST.get("token", "")
            upload = request.FILES.get("sheet")
            if request.POST.get("action") == "import" and token in pending:
                report = reference_import.reference_import(
                    rows=pending.pop(token), acting_user=request.user, dry_run=False
                )
                request.session[IMPORT_SESSION_KEY] = pending
                if report.saved is not None:
                    messages.success(
                        request, gettext("%(n)d rows of reference figures imported.") % {"n": report.saved}
                    )
                    return redirect(reverse("admin:subsidies_referenceyear_changelist"))
                token = ""
            elif upload is None:
                report = reference_import.ImportReport(problem=gettext("Choose the workbook to check."))
            else:
                rows, problem = reference_import.read(upload)
                report = reference_import.ImportReport(problem=problem)
                if not problem:
                    report = reference_import.reference_import(
                        rows=rows, acting_user=request.user, dry_run=True
                    )
                token = ""
                if report.ok:
                    token = uuid.uuid4().hex
                    pending = {token: [{"number": r["number"], "values": r["values"]} for r in report.rows]}
                    request.session[IMPORT_SESSION_KEY] = pending
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import reference figures from Excel"),
            "report": report,
            "token": token,
            "max_rows": reference_import.MAX_ROWS,
            "template_url": reverse("admin:subsidies_referenceyear_template"),
        }
        return TemplateResponse(request, "admin/subsidies/referenceyear/import.html", context)

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
