"""The county health bureau's review of filings: the queue, a read-only filing, and the decisions."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import ScopedAdmin, county_filter
from registry.selectors import jurisdiction_regions, visible

from .models import (
    AnnualReport,
    Filing,
    FilingClass,
    FilingPolicy,
    Material,
    MaterialRequirement,
    OperatorInvitation,
    OperatorSignup,
    Termination,
)
from .selectors import days_waiting, filing_diff, policy_for, required_materials, working_days_between
from .services import (
    FilingError,
    filing_accept,
    filing_refuse,
    filing_return,
    invitation_create,
    signup_approve,
    signup_reject,
    termination_confirm,
)

REVIEW_PERMISSION = "filing.review_filing"


class OverdueFilter(admin.SimpleListFilter):
    """Submitted filings waiting longer than the national limit. Working days are counted back from today,
    so the cut-off is a date; a county with its own limit shows it in the "waited" column."""

    title = _("review time")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Over the limit")), ("no", _("Within the limit"))]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        limit = policy_for_national().review_working_days
        today = timezone.localdate()
        cutoff = today
        while working_days_between(cutoff, today) < limit:
            cutoff -= datetime.timedelta(days=1)
        boundary = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        submitted = queryset.filter(status=Filing.Status.SUBMITTED)
        if self.value() == "yes":
            return submitted.filter(submitted_at__lt=boundary)
        return submitted.filter(submitted_at__gte=boundary)


def policy_for_national() -> FilingPolicy:
    return FilingPolicy.objects.filter(region__isnull=True).first() or FilingPolicy()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClassInline(ReadOnlyInline):
    model = FilingClass
    fields = ["class_type", "name", "slots", "enrolled", "carers"]
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ["requirement", "link", "size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def link(self, obj):
        url = reverse("filing:material", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, obj.original_name)


@admin.register(Filing)
class FilingAdmin(ScopedAdmin):
    list_display = ["name", "uscc", "county", "kind", "status", "submitted_at", "waited", "finding_count"]
    list_filter = ["status", "kind", OverdueFilter, "inclusive", county_filter("institution__region")]
    search_fields = ["name", "institution__uscc"]
    list_select_related = ["institution__region"]
    show_full_result_count = False
    inlines = [ClassInline, MaterialInline]
    change_form_template = "admin/filing/filing/change_form.html"
    fieldsets = [
        (
            _("Particulars"),
            {
                "fields": [
                    "institution",
                    "kind",
                    "status",
                    "name",
                    "address",
                    "legal_representative",
                    "contact_person",
                    "contact_phone",
                ]
            },
        ),
        (
            _("Premises"),
            {"fields": ["building_area", "outdoor_area", "tenure", "lease_starts_on", "lease_ends_on"]},
        ),
        (_("Services and fees"), {"fields": ["service_types", "monthly_fees", "inclusive", "employer_run"]}),
        (
            _("Staff"),
            {"fields": ["staff_management", "staff_carers", "staff_health", "staff_security", "staff_cooks"]},
        ),
        (
            _("Review"),
            {
                "fields": [
                    "findings_box",
                    "diff_box",
                    "history_box",
                    "submitted_at",
                    "commitment_accepted_at",
                    "decided_at",
                    "decided_by",
                    "decision_note",
                    "receipt_link",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        self._policies = {}
        return super().get_queryset(request)

    def get_ordering(self, request):
        """The work first: submitted filings, oldest first, then returned ones, then the rest."""
        priority = Case(When(status="submitted", then=0), When(status="returned", then=1), default=2)
        return [priority.asc(), "submitted_at"]

    def _limit(self, region_id):
        policies = getattr(self, "_policies", {})
        if region_id not in policies:
            policies[region_id] = policy_for(region_id).review_working_days
            self._policies = policies
        return policies[region_id]

    @admin.display(description=_("USCC"), ordering="institution__uscc")
    def uscc(self, obj):
        return obj.institution.uscc

    @admin.display(description=_("county"), ordering="institution__region")
    def county(self, obj):
        return obj.institution.region.name

    @admin.display(description=_("waited (working days)"))
    def waited(self, obj):
        days = days_waiting(obj)
        if days is None:
            return "—"
        limit = self._limit(obj.institution.region_id)
        css = "waited-over" if days > limit else "waited-ok"
        return format_html('<span class="{}">{} / {}</span>', css, days, limit)

    @admin.display(description=_("findings"))
    def finding_count(self, obj):
        return len(obj.findings) or "—"

    @admin.display(description=_("standards findings"))
    def findings_box(self, obj):
        if not obj.findings:
            return _("None")
        items = format_html_join("", "<li>{}</li>", ((f["message"],) for f in obj.findings))
        return format_html('<ul class="findings">{}</ul>', items)

    @admin.display(description=_("what changes"))
    def diff_box(self, obj):
        rows = filing_diff(obj)
        if not rows:
            return "—"
        body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            '<table class="diff"><tr><th></th><th>{}</th><th>{}</th></tr>{}</table>',
            _("before"),
            _("after"),
            body,
        )

    @admin.display(description=_("transitions"))
    def history_box(self, obj):
        rows = [
            (
                t.at.strftime("%Y-%m-%d %H:%M"),
                t.get_from_status_display(),
                t.get_to_status_display(),
                t.actor,
                t.note,
            )
            for t in obj.transitions.select_related("actor")
        ]
        if not rows:
            return "—"
        return format_html(
            '<table class="transitions">{}</table>',
            format_html_join("", "<tr><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("receipt"))
    def receipt_link(self, obj):
        if obj.status != Filing.Status.ACCEPTED:
            return "—"
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("filing:receipt", args=[obj.pk]),
            obj.receipt_number,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        filing = self.get_object(request, object_id)
        extra_context["can_decide"] = (
            filing is not None
            and filing.status == Filing.Status.SUBMITTED
            and request.user.has_perm(REVIEW_PERMISSION)
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/<str:decision>/", decide, name="filing_filing_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk, decision):
        if decision not in {"accept", "return", "refuse"} or not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        filing = get_object_or_404(visible(Filing.objects.select_related("institution"), request.user), pk=pk)
        form_class = {"accept": AcceptForm, "return": ReturnForm, "refuse": RefuseForm}[decision]
        form = form_class(request.POST if request.method == "POST" else None, filing=filing)
        if request.method == "POST" and form.is_valid():
            try:
                filing = form.decide(filing=filing, acting_user=request.user)
            except FilingError as exc:
                messages.error(request, exc.message)
            else:
                if decision == "accept":
                    messages.success(
                        request,
                        format_html(
                            '{} <a href="{}" target="_blank">{}</a>',
                            _("Filed. Receipt number:"),
                            reverse("filing:receipt", args=[filing.pk]),
                            filing.receipt_number,
                        ),
                    )
                else:
                    messages.success(request, _("Done: the operator has been told."))
                return redirect("admin:filing_filing_change", filing.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": filing,
            "title": form.title,
            "form": form,
            "decision": decision,
        }
        return TemplateResponse(request, "admin/filing/filing/decide.html", context)


class AcceptForm(forms.Form):
    title = _("Accept this filing and issue a receipt number?")
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)

    def decide(self, *, filing, acting_user):
        return filing_accept(filing=filing, acting_user=acting_user, note=self.cleaned_data["note"])


class ReturnForm(forms.Form):
    """Up to six items, each with its reason; at least one."""

    title = _("Return for correction")
    ROWS = 6

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)
        items = [
            ("particulars", _("Particulars")),
            ("premises", _("Premises")),
            ("services", _("Services and fees")),
            ("staff", _("Staff")),
            ("classes", _("classes")),
            *((f"material:{r.code}", r.name) for r in required_materials(filing.institution.region_id)),
            ("other", _("Other")),
        ]
        for row in range(self.ROWS):
            self.fields[f"item_{row}"] = forms.ChoiceField(
                label=_("item"), choices=[("", "—"), *items], required=False
            )
            self.fields[f"reason_{row}"] = forms.CharField(
                label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.item_labels = dict(items)

    def rows(self):
        return [(self[f"item_{row}"], self[f"reason_{row}"]) for row in range(self.ROWS)]

    def clean(self):
        cleaned = super().clean()
        reasons = []
        for row in range(self.ROWS):
            item, reason = cleaned.get(f"item_{row}"), (cleaned.get(f"reason_{row}") or "").strip()
            if reason and not item:
                self.add_error(f"item_{row}", _("Choose the item this reason is about."))
            elif item and not reason:
                self.add_error(f"reason_{row}", _("Give the reason."))
            elif item:
                reasons.append((str(self.item_labels[item]), reason))
        if not reasons and not self.errors:
            raise forms.ValidationError(_("Give at least one reason, so the operator knows what to correct."))
        cleaned["reasons"] = reasons
        return cleaned

    def decide(self, *, filing, acting_user):
        return filing_return(filing=filing, acting_user=acting_user, reasons=self.cleaned_data["reasons"])


class RefuseForm(forms.Form):
    title = _("Refuse this filing?")
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)

    def decide(self, *, filing, acting_user):
        return filing_refuse(filing=filing, acting_user=acting_user, reason=self.cleaned_data["reason"])


@admin.register(Termination)
class TerminationAdmin(ScopedAdmin):
    list_display = ["institution", "planned_on", "status", "submitted_at", "confirmed_at"]
    list_filter = ["status", county_filter("institution__region")]
    search_fields = ["institution__name", "institution__uscc"]
    list_select_related = ["institution"]
    readonly_fields = [
        "institution",
        "planned_on",
        "children_plan",
        "staff_plan",
        "status",
        "submitted_by",
        "submitted_at",
        "confirmed_by",
        "confirmed_at",
    ]
    actions = ["confirm"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm the selected terminations"), permissions=["change"])
    def confirm(self, request, queryset):
        for termination in queryset.select_related("institution"):
            try:
                termination_confirm(termination=termination, acting_user=request.user)
            except (FilingError, PermissionDenied) as exc:
                self.message_user(request, f"{termination.institution}：{exc}", messages.ERROR)
            else:
                self.message_user(request, f"{termination.institution}：{_('confirmed')}", messages.SUCCESS)


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdmin):
    list_display = ["institution", "year", "enrolled_children", "staff_total", "submitted_at"]
    list_filter = ["year", county_filter("institution__region")]
    search_fields = ["institution__name", "institution__uscc"]
    list_select_related = ["institution"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RegionalPolicyAdmin(ScopedAdmin):
    """National rows (no region) are visible to all and edited only by platform administrators."""

    def get_queryset(self, request):
        qs = self.model._default_manager.select_related("region")
        if request.user.is_superuser:
            return qs
        return qs.filter(Q(region__isnull=True) | Q(region__in=jurisdiction_regions(request.user)))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission


@admin.register(FilingPolicy)
class FilingPolicyAdmin(RegionalPolicyAdmin):
    list_display = [
        "__str__",
        "review_working_days",
        "max_infant_class",
        "max_toddler_class",
        "max_older_toddler_class",
        "min_lease_years",
    ]
    autocomplete_fields = ["region"]


@admin.register(MaterialRequirement)
class MaterialRequirementAdmin(RegionalPolicyAdmin):
    list_display = ["name", "code", "region", "required", "active", "position"]
    list_filter = ["required", "active", ("region", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    autocomplete_fields = ["region"]


@admin.register(OperatorSignup)
class OperatorSignupAdmin(ScopedAdmin):
    """Operators who signed up; the county bureau approves the ones whose e-mail is confirmed."""

    list_display = ["user", "user_email", "institution", "status", "created_at", "confirmed_at", "decided_at"]
    list_filter = ["status", county_filter("institution__region")]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__email",
        "institution__name",
        "institution__uscc",
    ]
    list_select_related = ["user", "institution"]
    readonly_fields = [
        "user",
        "institution",
        "status",
        "created_at",
        "confirmed_at",
        "decided_by",
        "decided_at",
        "note",
    ]
    ordering = ["-status", "-created_at"]
    actions = ["approve", "reject"]

    @admin.display(description=_("e-mail"))
    def user_email(self, obj):
        return obj.user.email

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, decide, done):
        for signup in queryset.select_related("user", "institution"):
            try:
                decide(signup)
            except (FilingError, PermissionDenied) as exc:
                self.message_user(request, f"{signup}：{exc}", messages.ERROR)
            else:
                self.message_user(request, f"{signup}：{done}", messages.SUCCESS)

    @admin.action(description=_("Approve the selected sign-ups"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(
            request, queryset, lambda s: signup_approve(signup=s, acting_user=request.user), _("approved")
        )

    @admin.action(description=_("Reject the selected sign-ups"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda s: signup_reject(signup=s, acting_user=request.user, note=""),
            _("rejected"),
        )


class InvitationForm(forms.ModelForm):
    class Meta:
        model = OperatorInvitation
        fields = ["institution", "email"]


@admin.register(OperatorInvitation)
class OperatorInvitationAdmin(ScopedAdmin):
    form = InvitationForm
    list_display = ["email", "institution", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter), county_filter("institution__region")]
    search_fields = ["email", "institution__name", "institution__uscc"]
    list_select_related = ["institution", "invited_by"]
    autocomplete_fields = ["institution"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        invitation = invitation_create(
            institution=obj.institution,
            email=obj.email,
            acting_user=request.user,
            accept_url=request.build_absolute_uri("/portal/invitation/") + "{token}/",
        )
        obj.pk, obj.invited_by_id, obj.created_at, obj.expires_at = (
            invitation.pk,
            invitation.invited_by_id,
            invitation.created_at,
            invitation.expires_at,
        )
        obj._state.adding = False
