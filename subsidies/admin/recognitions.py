from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from inspections.admin.inspections import confirm_page
from registry.admin_scoping import ScopedAdmin, county_column, county_filter
from registry.models import ServiceType

from ..models import Recognition
from ..services import SubsidyError, recognition_confirm_fees, recognition_decide, recognition_revoke
from ..services.fees import current_fees
from .check_table import check_table


class RecheckFilter(admin.SimpleListFilter):
    title = _("fees changed")
    parameter_name = "recheck"

    def lookups(self, request, model_admin):
        return [("1", _("awaiting a check"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(recheck_since__isnull=False, status=Recognition.Status.RECOGNISED)
        return queryset


def fee_lines(fees: dict) -> str:
    labels = dict(ServiceType.choices)
    return (
        "；".join(
            gettext("%(service)s %(fee)s yuan") % {"service": labels.get(s, s), "fee": f}
            for s, f in fees.items()
        )
        or "—"
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("recognise", _("Recognise")), ("refuse", pgettext_lazy("recognition", "Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when refusing; the institution reads it."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Recognition)
class RecognitionAdmin(ScopedAdmin):
    change_form_template = "admin/subsidies/recognition/change_form.html"
    list_display = [
        "institution",
        "county",
        "kind",
        "status",
        "fees",
        "applied_at",
        "valid_until",
        "recheck_since",
    ]
    list_select_related = ["institution__region"]
    list_filter = [
        "status",
        "kind",
        RecheckFilter,
        county_filter("institution__region"),
    ]
    search_fields = ["institution__name"]
    search_exact_fields = ("institution__uscc",)
    region_columns = ("county",)
    readonly_fields = [
        "institution",
        "kind",
        "status",
        "fees",
        "slots",
        "inclusive_slots",
        "undertaking",
        "check_list",
        "applied_by",
        "applied_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "valid_from",
        "valid_until",
        "recheck_since",
        "recheck_note",
    ]
    fieldsets = [
        (None, {"fields": ["institution", "kind", "status", "fees", "slots", "inclusive_slots"]}),
        (_("checks"), {"fields": ["check_list"]}),
        (_("application"), {"fields": ["undertaking", "applied_by", "applied_at"]}),
        (
            _("decision"),
            {"fields": ["decided_by", "decided_at", "decision_reason", "valid_from", "valid_until"]},
        ),
        (_("fee change"), {"fields": ["recheck_since", "recheck_note"]}),
    ]

    county = county_column("institution__region")

    @admin.display(description=_("monthly fees"))
    def fees(self, obj):
        return fee_lines(obj.monthly_fees)

    @admin.display(description=_("checks"))
    def check_list(self, obj):
        return check_table(obj.described_checks)

    def has_add_permission(self, request):
        return False  # the operator applies in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decided through the views below

    def _may_decide(self, request) -> bool:
        return request.user.has_perm("subsidies.change_recognition")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None and self._may_decide(request):
            extra = {
                "can_decide": obj.status == Recognition.Status.APPLIED,
                "can_revoke": obj.status == Recognition.Status.RECOGNISED,
                "can_confirm": obj.status == Recognition.Status.RECOGNISED and obj.recheck_since is not None,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="subsidies_recognition_decide"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="subsidies_recognition_revoke"),
            path("<int:pk>/confirm-fees/", view(self.confirm_view), name="subsidies_recognition_confirm"),
            *super().get_urls(),
        ]

    def _recognition(self, request, pk):
        if not self._may_decide(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        recognition = get_object_or_404(self.get_queryset(request), pk=pk)
        return recognition, reverse("admin:subsidies_recognition_change", args=[pk])

    def _details(self, recognition):
        return [
            (gettext("institution"), f"{recognition.institution.name}（{recognition.institution.uscc}）"),
            (gettext("kind"), recognition.get_kind_display()),
            (gettext("monthly fees"), fee_lines(recognition.monthly_fees)),
            (
                gettext("slots"),
                gettext("%(slots)s, of which %(inclusive)s inclusive")
                % {"slots": recognition.slots, "inclusive": recognition.inclusive_slots},
            ),
        ]

    def decide_view(self, request, pk):
        recognition, change_url = self._recognition(request, pk)
        if recognition.status != Recognition.Status.APPLIED:
            messages.error(request, gettext("This application has already been decided."))
            return redirect(change_url)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            recognised = form.cleaned_data["decision"] == "recognise"
            try:
                done = recognition_decide(
                    recognition=recognition,
                    recognised=recognised,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except SubsidyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Recognised until %(day)s.") % {"day": done.valid_until.isoformat()}
                    if recognised
                    else gettext("Refused; the institution has been told the reason."),
                )
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            recognition,
            form,
            title=gettext("Decide the recognition of %(institution)s")
            % {"institution": recognition.institution.name},
            text=gettext(
                "The checks are evaluated again when you decide; an application cannot be recognised while a "
                "check fails. The institution is told the decision and the reason."
            ),
            button=gettext("Record the decision"),
            change_url=change_url,
            details=[
                *self._details(recognition),
                (gettext("checks"), check_table(recognition.described_checks)),
            ],
        )

    def revoke_view(self, request, pk):
        recognition, change_url = self._recognition(request, pk)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                recognition_revoke(
                    recognition=recognition, reason=form.cleaned_data["reason"], acting_user=request.user
                )
            except SubsidyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, gettext("The recognition was revoked; the institution has been told.")
                )
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            recognition,
            form,
            title=gettext("Revoke the recognition of %(institution)s")
            % {"institution": recognition.institution.name},
            text=gettext(
                "The institution stops being shown as recognised from today, and its fees are no longer "
                "held to the cap. It is told the reason."
            ),
            button=gettext("Revoke"),
            change_url=change_url,
            details=self._details(recognition),
        )

    def confirm_view(self, request, pk):
        recognition, change_url = self._recognition(request, pk)
        if recognition.recheck_since is None:
            messages.error(request, gettext("No fee change awaits a check."))
            return redirect(change_url)
        form = forms.Form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                recognition_confirm_fees(recognition=recognition, acting_user=request.user)
            except SubsidyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, gettext("The new fees are within the rules and are now the recognised fees.")
                )
                return redirect(change_url)
        _offered, latest = current_fees([recognition.institution_id]).get(
            recognition.institution_id, ([], {})
        )
        return confirm_page(
            self,
            request,
            recognition,
            form,
            title=gettext("Check the changed fees of %(institution)s")
            % {"institution": recognition.institution.name},
            text=gettext(
                "The new fees are checked against the price cap and the guided standard. Within them, they "
                "become the recognised fees; otherwise revoke the recognition."
            ),
            button=gettext("Confirm the new fees"),
            change_url=change_url,
            details=[
                *self._details(recognition),
                (gettext("what changed"), recognition.recheck_note),
                (gettext("current fees"), fee_lines({s: fee for s, (fee, _src, _d) in latest.items()})),
            ],
        )
