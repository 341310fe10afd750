"""Health evaluations, complaints and credit records in the admin."""

import csv
import datetime
import itertools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from filing.admin.common import show_service_error
from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_scoping import ScopedAdmin, county_filter
from registry.models import Institution
from registry.selectors import visible_institutions

from ..credit_export import credit_rows, credit_workbook
from ..models import Complaint, ComplaintPolicy, CreditRecord, Department, HealthEvaluation
from ..services import (
    InspectionError,
    complaint_answer,
    complaint_decline,
    complaint_route,
    credit_record_add,
    evaluation_record,
)
from ..services.complaints import complaint_days, triages
from ..services.credit import credit_problems
from .inspections import SupervisionAdmin, confirm_page


class EvaluationForm(forms.ModelForm):
    report = forms.FileField(
        label=_("report (scan)"), required=False, help_text=_("PDF, JPG or PNG, at most 10 MB.")
    )

    class Meta:
        model = HealthEvaluation
        fields = ["institution", "evaluated_on", "result", "valid_until", "report_number"]


@admin.register(HealthEvaluation)
class HealthEvaluationAdmin(SupervisionAdmin):
    form = EvaluationForm
    list_display = ["institution_name", "evaluated_on", "result", "valid_until", "authority", "region"]
    region_columns = ("region",)
    list_filter = ["result", county_filter("region")]
    search_fields = ["institution__name", "report_number"]
    search_exact_fields = ("institution__uscc",)
    list_select_related = ["institution", "authority", "region"]
    autocomplete_fields = ["institution"]

    def has_change_permission(self, request, obj=None):
        return False  # a correction is a new evaluation

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["institution", "evaluated_on", "result", "valid_until", "report_number", "report"]
        return [
            "institution",
            "authority",
            "evaluated_on",
            "result",
            "valid_until",
            "report_number",
            "report_link",
        ]

    @admin.display(description=_("report (scan)"))
    def report_link(self, obj):
        if not obj.report:
            return gettext("no scan")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("field:evaluation-report", args=[obj.pk]),
            obj.report_name,
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = evaluation_record(
                institution=data["institution"],
                evaluated_on=data["evaluated_on"],
                result=data["result"],
                valid_until=data["valid_until"],
                report_number=data.get("report_number", ""),
                report=data.get("report"),
                acting_user=request.user,
            )
        except InspectionError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form

        class Checked(form):
            def clean(self):
                data = super().clean()
                start, end = data.get("evaluated_on"), data.get("valid_until")
                if start and start > timezone.localdate():
                    self.add_error("evaluated_on", gettext("The evaluation date cannot be in the future."))
                if start and end and end <= start:
                    self.add_error("valid_until", gettext("Valid until must come after the evaluation date."))
                return data

        return Checked


class OverdueComplaints(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(status=Complaint.Status.ROUTED, deadline__lt=timezone.localdate())
        return queryset


class RouteForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("The institution on the platform the complaint is about, when you recognise it."),
    )
    department = forms.ChoiceField(label=_("handled by"), choices=Department.choices)
    deadline = forms.DateField(
        label=_("deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("instructions to the department"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AnswerComplaintForm(forms.Form):
    reply = forms.CharField(
        label=_("reply to the complainant"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The complainant reads this with the tracking code; do not name other people."),
    )
    upheld = forms.TypedChoiceField(
        label=_("upheld"),
        choices=[("1", _("Yes, upheld")), ("0", _("No, not upheld"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    credit_severity = forms.ChoiceField(
        label=_("credit record"),
        choices=[
            ("", _("None")),
            (CreditRecord.Severity.MINOR, CreditRecord.Severity.MINOR.label),
            (CreditRecord.Severity.SERIOUS, CreditRecord.Severity.SERIOUS.label),
        ],
        required=False,
        help_text=_("Only for an upheld complaint about an institution on the platform."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is not accepted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The complainant reads this with the tracking code."),
    )


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin):
    list_display = [
        "tracking_code",
        "institution_text",
        "submitted_at",
        "status",
        "department",
        "deadline",
        "region",
    ]
    region_columns = ("region",)
    list_filter = ["status", OverdueComplaints, "department", county_filter("region")]
    search_fields = ["institution_text", "institution__name"]
    search_exact_fields = ("tracking_code",)
    list_select_related = ["region"]
    fields = [
        "tracking_code",
        "region",
        "institution",
        "institution_text",
        "what_happened",
        "occurred_on",
        "contact_name",
        "contact_phone",
        "submitted_at",
        "status",
        "department",
        "deadline",
        "routing_note",
        "reply",
        "upheld",
        "inspection",
        "handled_by",
    ]
    readonly_fields = fields
    change_form_template = "admin/inspections/complaint/change_form.html"

    def has_add_permission(self, request):
        return False  # the public submits at /public/complaints/new/

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # handled through route, answer and decline

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            handles = request.user.has_perm("inspections.change_complaint")
            bureau = triages(request.user)
            extra = {
                "can_route": bureau and obj.status in (Complaint.Status.RECEIVED, Complaint.Status.ROUTED),
                "can_decline": bureau and obj.status == Complaint.Status.RECEIVED,
                "can_answer": handles and obj.status in (Complaint.Status.RECEIVED, Complaint.Status.ROUTED),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [
            path(
                "<int:pk>/handle/<str:action>/",
                self.admin_site.admin_view(self.handle_view),
                name="inspections_complaint_handle",
            ),
            *super().get_urls(),
        ]

    def handle_view(self, request, pk, action):
        forms_by_action = {"route": RouteForm, "answer": AnswerComplaintForm, "decline": DeclineForm}
        if action not in forms_by_action or not request.user.has_perm("inspections.change_complaint"):
            raise Http404 if action not in forms_by_action else PermissionDenied
        complaint = self.get_object(request, str(pk))
        if complaint is None:
            raise Http404
        change_url = reverse("admin:inspections_complaint_change", args=[pk])
        initial = {}
        if action == "route":
            initial = {
                "deadline": timezone.localdate()
                + datetime.timedelta(days=complaint_days(complaint.region_id)),
                "department": complaint.department or Department.HEALTH,
            }
        form = forms_by_action[action](request.POST or None, initial=initial)
        if action == "route":
            form.fields["institution"].queryset = visible_institutions(request.user).filter(
                region_id=complaint.region_id
            )
            form.fields["institution"].initial = complaint.institution_id
        if request.method == "POST" and form.is_valid():
            try:
                if action == "route":
                    complaint_route(complaint=complaint, acting_user=request.user, **form.cleaned_data)
                    done = gettext("Routed; the department has been told.")
                elif action == "answer":
                    complaint_answer(complaint=complaint, acting_user=request.user, **form.cleaned_data)
                    done = gettext("Answered; the complainant reads the reply with the tracking code.")
                else:
                    complaint_decline(complaint=complaint, acting_user=request.user, **form.cleaned_data)
                    done = gettext("Not accepted; the complainant reads the reason with the tracking code.")
            except InspectionError as error:
                show_service_error(form, error)
            else:
                messages.success(request, done)
                return redirect(change_url)
        titles = {
            "route": (
                gettext("Route complaint %(code)s"),
                gettext("Choose the department that handles it and by when."),
                gettext("Route it"),
            ),
            "answer": (
                gettext("Answer complaint %(code)s"),
                gettext("The reply closes the complaint."),
                gettext("Send the reply"),
            ),
            "decline": (
                gettext("Decline complaint %(code)s?"),
                gettext("A complaint outside the platform's remit, or a duplicate."),
                gettext("Decline it"),
            ),
        }
        title, text, button = titles[action]
        return confirm_page(
            self,
            request,
            complaint,
            form,
            title=title % {"code": complaint.tracking_code},
            text=text,
            button=button,
            change_url=change_url,
        )


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(RegionalPolicyAdmin):
    list_display = ["region_name", "days"]
    fields = ["region", "days"]


class CreditForm(forms.ModelForm):
    class Meta:
        model = CreditRecord
        fields = [
            "institution",
            "kind",
            "severity",
            "description",
            "decided_by_body",
            "decided_on",
            "valid_until",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (
            "kind" in self.fields
        ):  # by hand: sanctions and commendations; the rest are recorded from their source
            self.fields["kind"].choices = [
                (CreditRecord.Kind.SANCTION, CreditRecord.Kind.SANCTION.label),
                (CreditRecord.Kind.COMMENDATION, CreditRecord.Kind.COMMENDATION.label),
            ]
            self.fields["institution"].required = True

    def clean(self):
        data = super().clean()
        for field, problems in credit_problems(
            kind=data.get("kind"),
            severity=data.get("severity"),
            decided_on=data.get("decided_on"),
            valid_until=data.get("valid_until"),
        ).items():
            for problem in problems:
                self.add_error(field, problem)
        return data


class ValidFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "valid"

    def lookups(self, request, model_admin):
        return [("1", _("Valid today")), ("0", _("Lapsed"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        from django.db.models import Q

        valid = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        if self.value() == "1":
            return queryset.filter(valid)
        if self.value() == "0":
            return queryset.exclude(valid)
        return queryset


@admin.register(CreditRecord)
class CreditRecordAdmin(ScopedAdmin):
    form = CreditForm
    list_display = ["subject_name", "subject", "kind", "severity", "decided_on", "valid_until", "region"]
    region_columns = ("region",)
    list_filter = ["severity", "kind", "subject", ValidFilter, county_filter("region")]
    search_fields = ["institution__name", "person_name", "description"]
    search_exact_fields = ("institution__uscc",)
    list_select_related = ["institution", "region"]
    autocomplete_fields = ["institution"]
    change_list_template = "admin/inspections/creditrecord/change_list.html"

    @admin.display(description=pgettext_lazy("credit", "name"))
    def subject_name(self, obj):
        if obj.institution_id:
            return obj.institution.name
        return f"{obj.person_name}（{obj.document_masked}）"

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(CreditForm.Meta.fields)
        return [
            "subject",
            "subject_name",
            "kind",
            "severity",
            "description",
            "decided_by_body",
            "decided_on",
            "valid_until",
            "region",
            "recorded_by",
            "recorded_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # a correction is a new record

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            saved = credit_record_add(acting_user=request.user, **data)
        except InspectionError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk

    def get_urls(self):
        return [
            path("export.xlsx", self.admin_site.admin_view(self.export_xlsx), name="inspections_credit_xlsx"),
            path("export.csv", self.admin_site.admin_view(self.export_csv), name="inspections_credit_csv"),
            *super().get_urls(),
        ]

    def _exported(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self.get_changelist_instance(request).get_queryset(request)

    def export_xlsx(self, request):
        response = HttpResponse(
            credit_workbook(self._exported(request)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"credit-records-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def export_csv(self, request):
        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        rows = (writer.writerow(row) for row in credit_rows(self._exported(request), header=True))
        # The byte-order mark makes Excel read the file as UTF-8.
        response = StreamingHttpResponse(
            itertools.chain(["\ufeff"], rows), content_type="text/csv; charset=utf-8"
        )
        name = f"credit-records-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
