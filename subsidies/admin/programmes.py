from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from inspections.admin.inspections import confirm_page
from registry.admin_export import XLSX
from registry.admin_scoping import ScopedAdmin, county_column, county_filter
from registry.spreadsheets import append, stream_workbook

from ..eligibility import CONDITIONS
from ..models import Application, Budget, LevelRate, PaymentBatch, Programme, ProgrammeRule
from ..services import SubsidyError, application_decide, batch_paid, batch_prepare, clawback_record
from ..services.programmes import amount_for, batch_total
from .check_table import check_table


class RuleForm(forms.ModelForm):
    condition = forms.ChoiceField(
        label=_("condition"), choices=[("", "---------"), *[(k, v[0]) for k, v in CONDITIONS.items()]]
    )

    class Meta:
        model = ProgrammeRule
        fields = ["condition", "value"]

    def clean(self):
        cleaned = super().clean()
        takes_value = CONDITIONS.get(cleaned.get("condition"), (None, False))[1]
        if takes_value and not cleaned.get("value"):
            self.add_error("value", gettext("This condition needs a value."))
        if cleaned.get("condition") == "min_certification" and cleaned.get("value"):
            try:
                if not 0 <= float(cleaned["value"]) <= 100:
                    raise ValueError
            except ValueError:
                self.add_error("value", gettext("A percentage between 0 and 100."))
        return cleaned


class RuleInline(admin.TabularInline):
    model = ProgrammeRule
    form = RuleForm
    extra = 1


class LevelRateInline(admin.TabularInline):
    model = LevelRate
    extra = 1
    verbose_name_plural = _("rates per certificate level (training subsidies)")


class BudgetInline(admin.TabularInline):
    model = Budget
    fields = ["year", "amount", "committed", "paid"]
    readonly_fields = ["committed", "paid"]
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "rate", "period", "opens_on", "closes_on"]
    list_filter = ["kind", "period"]
    list_select_related = ["region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]
    fields = ["name", "kind", "region", "rate", "period", "opens_on", "closes_on", "description"]
    inlines = [RuleInline, LevelRateInline, BudgetInline]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("approve", pgettext_lazy("subsidy", "Approve")),
            ("reject", pgettext_lazy("subsidy", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the institution reads it."),
    )


class ClawbackForm(forms.Form):
    amount = forms.IntegerField(label=_("amount returned (yuan)"), min_value=1)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Application)
class ApplicationAdmin(ScopedAdmin):
    change_form_template = "admin/subsidies/application/change_form.html"
    list_display = [
        "institution",
        "county",
        "programme",
        "period_shown",
        "status",
        "units",
        "amount",
        "applied_at",
        "batch",
    ]
    list_select_related = ["institution__region", "programme", "batch"]
    list_filter = ["status", "programme", county_filter("institution__region")]
    search_fields = ["institution__name"]
    search_exact_fields = ("institution__uscc",)
    region_columns = ("county",)
    readonly_fields = [
        "institution",
        "programme",
        "period_shown",
        "status",
        "units",
        "platform_units",
        "months",
        "levels",
        "note",
        "check_list",
        "evidence",
        "amount",
        "clawed_back",
        "applied_by",
        "applied_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "batch",
    ]
    fieldsets = [
        (None, {"fields": ["institution", "programme", "period_shown", "status"]}),
        (_("count"), {"fields": ["units", "platform_units", "months", "levels", "note", "evidence"]}),
        (_("checks"), {"fields": ["check_list"]}),
        (
            _("decision"),
            {"fields": ["amount", "decided_by", "decided_at", "decision_reason", "batch", "clawed_back"]},
        ),
    ]

    county = county_column("institution__region")

    @admin.display(description=_("period"), ordering="period")
    def period_shown(self, obj):
        return obj.period_label

    @admin.display(description=_("checks"))
    def check_list(self, obj):
        return check_table(obj.described_checks)

    @admin.display(description=pgettext_lazy("subsidy", "evidence"))
    def evidence(self, obj):
        files = list(obj.files.all())
        if not files:
            return "—"
        return format_html_join(
            format_html("<br>"),
            '<a href="{}">{}</a>',
            ((reverse("subsidy-files:evidence", args=[f.pk]), f.name) for f in files),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None and request.user.has_perm("subsidies.change_application"):
            extra = {
                "can_decide": obj.status == Application.Status.SUBMITTED,
                "can_claw_back": obj.status == Application.Status.PAID
                and obj.clawed_back < (obj.amount or 0),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="subsidies_application_decide"),
            path("<int:pk>/claw-back/", view(self.clawback_view), name="subsidies_application_clawback"),
            *super().get_urls(),
        ]

    def _application(self, request, pk):
        if not request.user.has_perm("subsidies.change_application"):
            raise PermissionDenied
        application = get_object_or_404(self.get_queryset(request), pk=pk)
        return application, reverse("admin:subsidies_application_change", args=[pk])

    def _details(self, application):
        programme = application.programme
        return [
            (gettext("institution"), f"{application.institution.name}（{application.institution.uscc}）"),
            (gettext("programme"), f"{programme.name} · {programme.get_kind_display()}"),
            (gettext("period"), application.period_label),
            (
                gettext("count"),
                gettext("%(units)s (the platform holds %(platform)s)")
                % {
                    "units": application.units,
                    "platform": "—" if application.platform_units is None else application.platform_units,
                },
            ),
        ]

    def decide_view(self, request, pk):
        application, change_url = self._application(request, pk)
        if application.status != Application.Status.SUBMITTED:
            messages.error(request, gettext("This application has already been decided."))
            return redirect(change_url)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            approved = form.cleaned_data["decision"] == "approve"
            try:
                done = application_decide(
                    application=application,
                    approved=approved,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except SubsidyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Approved: %(amount)s yuan committed against the budget.")
                    % {"amount": done.amount}
                    if approved
                    else gettext("Rejected; the institution has been told the reason."),
                )
                return redirect(change_url)
        programme = application.programme
        return confirm_page(
            self,
            request,
            application,
            form,
            title=gettext("Decide the subsidy application of %(institution)s")
            % {"institution": application.institution.name},
            text=gettext(
                "The rules are evaluated again when you decide; an application is approved only when "
                "every rule is met and the year's budget covers it. The amount is computed from the "
                "programme's rate."
            ),
            button=gettext("Record the decision"),
            change_url=change_url,
            details=[
                *self._details(application),
                (
                    gettext("amount if approved"),
                    gettext("%(amount)s yuan")
                    % {
                        "amount": amount_for(
                            programme, application.units, application.months, application.levels
                        )
                    },
                ),
                (gettext("checks"), check_table(application.described_checks)),
            ],
        )

    def clawback_view(self, request, pk):
        application, change_url = self._application(request, pk)
        form = ClawbackForm(
            request.POST or None, initial={"amount": (application.amount or 0) - application.clawed_back}
        )
        if request.method == "POST" and form.is_valid():
            try:
                clawback_record(
                    application=application,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except SubsidyError as error:
                form.add_error(None, error.message)
                for field, problems in error.errors.items():
                    if field in form.fields:
                        for problem in problems:
                            form.add_error(field, problem)
            else:
                messages.success(request, gettext("The clawback was recorded and the budget credited."))
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            application,
            form,
            title=gettext("Claw back from %(institution)s") % {"institution": application.institution.name},
            text=gettext("Record money the institution returned; the year's budget is credited with it."),
            button=gettext("Record the clawback"),
            change_url=change_url,
            details=[
                *self._details(application),
                (gettext("paid"), gettext("%(amount)s yuan") % {"amount": application.amount}),
                (
                    gettext("already returned"),
                    gettext("%(amount)s yuan") % {"amount": application.clawed_back},
                ),
            ],
        )


class BatchForm(forms.ModelForm):
    class Meta:
        model = PaymentBatch
        fields = ["programme", "month"]


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("payment reference"), max_length=64)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ScopedAdmin):
    change_form_template = "admin/subsidies/paymentbatch/change_form.html"
    form = BatchForm
    list_display = ["programme", "month", "status", "lines", "total", "paid_on", "reference"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme"]
    readonly_fields = ["status", "paid_on", "reference", "lines", "total", "line_table"]

    def get_queryset(self, request):
        from django.db.models import Count, Sum

        return (
            super().get_queryset(request).annotate(n=Count("applications"), sum=Sum("applications__amount"))
        )

    @admin.display(description=_("applications"), ordering="n")
    def lines(self, obj):
        return getattr(obj, "n", None) if hasattr(obj, "n") else obj.applications.count()

    @admin.display(description=_("total (yuan)"), ordering="sum")
    def total(self, obj):
        return (getattr(obj, "sum", None) if hasattr(obj, "sum") else batch_total(obj)) or 0

    @admin.display(description=_("applications in the batch"))
    def line_table(self, obj):
        rows = obj.applications.select_related("institution").order_by("institution__name")
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("institution"),
            gettext("period"),
            gettext("status"),
            gettext("amount (yuan)"),
            format_html_join(
                "",
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
                (
                    (
                        reverse("admin:subsidies_application_change", args=[a.pk]),
                        a.institution.name,
                        a.period_label,
                        a.get_status_display(),
                        a.amount,
                    )
                    for a in rows
                ),
            ),
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["programme", "month"]
        return ["programme", "month", "status", "lines", "total", "paid_on", "reference", "line_table"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["programme", "month", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return {"month": timezone.localdate().replace(day=1)}

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            batch, added = batch_prepare(programme=obj.programme, month=obj.month, acting_user=request.user)
        except SubsidyError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = batch.pk
        messages.info(request, gettext("%(n)d approved applications were added to the batch.") % {"n": added})

    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(
            request, form_url, {**(extra_context or {}), "title": gettext("Prepare a payment batch")}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        # Nothing on a batch is edited in the form: it is collected, exported and marked paid by the tools.
        extra = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        if obj is not None:
            extra |= {
                "can_pay": obj.status == PaymentBatch.Status.OPEN
                and request.user.has_perm("subsidies.change_paymentbatch"),
                "can_collect": obj.status == PaymentBatch.Status.OPEN
                and request.user.has_perm("subsidies.add_paymentbatch"),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/paid/", view(self.paid_view), name="subsidies_paymentbatch_paid"),
            path("<int:pk>/collect/", view(self.collect_view), name="subsidies_paymentbatch_collect"),
            path("<int:pk>/sheet.xlsx", view(self.sheet_view), name="subsidies_paymentbatch_sheet"),
            *super().get_urls(),
        ]

    def _batch(self, request, pk):
        # The same question as the batch's admin page: a role that may view batches, in its jurisdiction.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk), reverse(
            "admin:subsidies_paymentbatch_change", args=[pk]
        )

    def collect_view(self, request, pk):
        batch, change_url = self._batch(request, pk)
        if request.method != "POST":
            return redirect(change_url)
        try:
            _batch, added = batch_prepare(
                programme=batch.programme, month=batch.month, acting_user=request.user
            )
        except SubsidyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, gettext("%(n)d approved applications were added to the batch.") % {"n": added}
            )
        return redirect(change_url)

    def paid_view(self, request, pk):
        batch, change_url = self._batch(request, pk)
        if not request.user.has_perm("subsidies.change_paymentbatch"):
            raise PermissionDenied
        form = PaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                batch_paid(
                    batch=batch,
                    paid_on=form.cleaned_data["paid_on"],
                    reference=form.cleaned_data["reference"],
                    acting_user=request.user,
                )
            except SubsidyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, gettext("The batch is marked paid; each institution has been told.")
                )
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            batch,
            form,
            title=gettext("Mark %(batch)s paid") % {"batch": batch},
            text=gettext("Every application in the batch becomes paid and is taken from the budget as paid."),
            button=gettext("Mark paid"),
            change_url=change_url,
            details=[
                (gettext("applications"), batch.applications.count()),
                (gettext("total (yuan)"), batch_total(batch)),
            ],
        )

    def sheet_view(self, request, pk):
        """The batch for the finance bureau: one line per application, a total at the foot."""
        batch, _change_url = self._batch(request, pk)
        response = StreamingHttpResponse(self._sheet(batch), content_type=XLSX)
        name = f"{batch.programme.name}-{batch.month:%Y-%m}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response

    def _sheet(self, batch):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(f"{batch.month:%Y-%m}")
        bold = Font(bold=True)
        append(sheet, [f"{batch.programme.name} · {batch.month:%Y-%m}"], font=bold)
        headers = [
            gettext("county"),
            gettext("institution"),
            gettext("unified social credit code"),
            gettext("period"),
            gettext("count"),
            gettext("amount (yuan)"),
            gettext("status"),
        ]
        append(sheet, headers, font=bold)
        rows = batch.applications.select_related("institution__region").order_by(
            "institution__region", "institution__name", "pk"
        )
        total = 0
        for a in rows.iterator(chunk_size=1000):
            total += a.amount or 0
            values = [
                a.institution.region.name,
                a.institution.name,
                a.institution.uscc,
                a.period_label,
                a.units,
                a.amount,
                a.get_status_display(),
            ]
            append(sheet, values, formats=[None, None, None, None, "0", "#,##0", None])
        append(
            sheet,
            ["", gettext("Total"), "", "", "", total, ""],
            font=bold,
            formats=[None] * 5 + ["#,##0", None],
        )
        yield from stream_workbook(book)


__all__ = ["ApplicationAdmin", "PaymentBatchAdmin", "ProgrammeAdmin"]
