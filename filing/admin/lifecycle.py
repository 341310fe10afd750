"""After filing: the bureau confirms a termination, and reads the annual reports."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, county_column, county_filter

from ..models import AnnualReport, Termination
from ..services import FilingError, annual_report_return, termination_confirm
from .common import REVIEW_PERMISSION, FilingAdminMedia, fees_html, person, show_service_error


class ReadOnlyAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Records the operators submit in the portal; the bureau reads them here."""

    Media = FilingAdminMedia


class ReturnReportForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("What the operator should correct; they read it in the portal and by e-mail."),
    )


@admin.register(Termination)
class TerminationAdmin(ReadOnlyAdmin):
    list_display = ["institution", "uscc", "county", "planned_on", "state", "submitted_at", "confirmed_at"]
    region_columns = ("county",)
    list_filter = ["status", county_filter("region")]
    search_fields = ["institution__name", "institution__uscc"]
    list_select_related = ["institution", "region"]
    # County by county (one county's clerk sees only theirs), the latest first: the index's order.
    ordering = ["region", "-submitted_at", "-id"]
    fields = [
        "institution",
        "planned_on",
        "children_plan",
        "staff_plan",
        "status",
        "submitted_by_person",
        "submitted_at",
        "confirmed_by_person",
        "confirmed_at",
    ]
    readonly_fields = fields
    submitted_by_person = person("submitted_by", _("submitted by"))
    confirmed_by_person = person("confirmed_by", _("confirmed by"))
    change_form_template = "admin/filing/termination/change_form.html"

    @admin.display(description=_("USCC"), ordering="institution__uscc")
    def uscc(self, obj):
        return obj.institution.uscc

    county = county_column()

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        if obj.status == Termination.Status.CONFIRMED and obj.planned_on > timezone.localdate():
            return gettext("Confirmed; the filing ends on %(date)s") % {"date": obj.planned_on.isoformat()}
        if obj.status == Termination.Status.CONFIRMED:
            return gettext("Confirmed; the filing ended on %(date)s") % {"date": obj.planned_on.isoformat()}
        return obj.get_status_display()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_confirm": request.user.has_perm(REVIEW_PERMISSION)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="filing_termination_confirm",
            ),
            *super().get_urls(),
        ]

    def confirm_view(self, request, pk):
        """Confirm the termination after a confirmation page; the institution's filing ends."""
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        termination = self.get_object(request, str(pk))
        if termination is None:
            raise Http404
        change_url = reverse("admin:filing_termination_change", args=[termination.pk])
        if termination.status != Termination.Status.SUBMITTED:
            messages.warning(request, gettext("This termination has already been confirmed."))
            return redirect(change_url)
        if request.method == "POST":
            try:
                termination_confirm(termination=termination, acting_user=request.user)
            except FilingError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    gettext("Termination confirmed: the filing of %(name)s ends on %(date)s.")
                    % {"name": termination.institution.name, "date": termination.planned_on.isoformat()},
                )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": termination,
            "title": gettext("Confirm this termination?"),
            "change_url": change_url,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/filing/termination/confirm.html", context)


class ReportYearFilter(admin.SimpleListFilter):
    """Every year since reports began (2019), from the calendar rather than a DISTINCT over every report."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, 2018, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(year=int(value)) if value and value.isdigit() else queryset


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = [
        "institution",
        "uscc",
        "county",
        "year",
        "enrolled_children",
        "staff_total",
        "submitted_at",
        "status",
    ]
    region_columns = ("county",)
    list_filter = [ReportYearFilter, "status", county_filter("region")]
    search_fields = ["institution__name", "institution__uscc"]
    list_select_related = ["institution", "region"]
    # The index's order: county by county, the latest year, latest report first.
    ordering = ["region", "-year", "-id"]
    fields = [
        "institution",
        "year",
        "enrolled_children",
        "staff_total",
        "incidents",
        "fees",
        "submitted_by_person",
        "submitted_at",
        "status",
        "return_reason",
        "returned_at",
    ]
    readonly_fields = fields
    submitted_by_person = person("submitted_by", _("submitted by"))
    change_form_template = "admin/filing/annualreport/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_return": request.user.has_perm(REVIEW_PERMISSION)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/return/",
                self.admin_site.admin_view(self.return_view),
                name="filing_annualreport_return",
            ),
            *super().get_urls(),
        ]

    def return_view(self, request, pk):
        """Return the report for correction, with the reason the operator reads."""
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        report = self.get_object(request, str(pk))
        if report is None:
            raise Http404
        change_url = reverse("admin:filing_annualreport_change", args=[report.pk])
        form = ReturnReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                annual_report_return(
                    report=report, acting_user=request.user, reason=form.cleaned_data["reason"]
                )
            except FilingError as error:
                show_service_error(form, error)
            else:
                messages.success(
                    request,
                    gettext("Returned to %(name)s for correction.") % {"name": report.institution.name},
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "form": form,
            "title": gettext("Return this annual report for correction?"),
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/filing/annualreport/return.html", context)

    @admin.display(description=_("USCC"), ordering="institution__uscc")
    def uscc(self, obj):
        return obj.institution.uscc

    county = county_column()

    @admin.display(description=AnnualReport._meta.get_field("monthly_fees").verbose_name)
    def fees(self, obj):
        return fees_html(obj.monthly_fees)
