"""The county health bureau's queue of pushed registrations, their conflicts and the on-time report."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..admin_flags import problem_badges, problem_yes_no
from ..admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, county_filter, date_set_filter
from ..display import service_types_text
from ..models import Authority, PushRoute, Region, Registration, RegistrationConflict
from ..selectors import jurisdiction_codes, push_punctuality, region_ancestry
from ..services import ConflictAlreadyResolved, conflict_resolve, scope_decide
from ..services.scope import DECIDE_PERMISSION


class RegisteringAuthorityFilter(admin.SimpleListFilter):
    """The registration bodies that may push into the person's jurisdiction: authorities of a kind that
    some push-route rule allows, in the person's region, above it or (for a city) below it. Read from
    the small authority table, never from the registrations; a province or the whole country filters
    by the body's kind instead (the next filter), as one list of every county's bodies would not help."""

    title = _("registration body")
    parameter_name = "authority"
    MAX_REGIONS = 50

    def lookups(self, request, model_admin):
        user = request.user
        if user.is_superuser or not user.authority_id:
            return []
        codes = jurisdiction_codes(user)
        if len(codes) > self.MAX_REGIONS:
            return []
        own = Region.objects.select_related("parent__parent").get(authorities=user.authority_id)
        ancestry = region_ancestry(own)
        pushers = PushRoute.objects.filter(allowed=True).values("authority_kind")
        bodies = Authority.objects.filter(kind__in=pushers, region_id__in={*codes, *ancestry})
        return [(a.pk, a.name) for a in bodies.order_by("region_id", "kind")]

    def queryset(self, request, queryset):
        return queryset.filter(authority_id=self.value()) if self.value() else queryset


class RegisteringKindFilter(admin.SimpleListFilter):
    """The kinds of registration body, as far as push-route rules let a kind push at all."""

    title = _("kind of registration body")
    parameter_name = "authority_kind"

    def lookups(self, request, model_admin):
        kinds = set(PushRoute.objects.filter(allowed=True).values_list("authority_kind", flat=True))
        return [(value, label) for value, label in Authority.Kind.choices if value in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(authority__kind=self.value()) if self.value() else queryset


class FilingStatusFilter(admin.SimpleListFilter):
    title = _("filing status")
    parameter_name = "filing_status"

    def lookups(self, request, model_admin):
        from ..models.institutions import FilingStatus

        return FilingStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(institution__filing_status=self.value()) if self.value() else queryset


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """Read-only: the registration body owns these records; the bureau follows them up."""

    list_display = [
        "name",
        "uscc",
        "route",
        "county",
        "authority",
        "registered_on",
        "status",
        "filing_status",
        "flags",
    ]
    region_columns = ("county",)
    list_filter = [
        "route",
        RegisteringAuthorityFilter,
        RegisteringKindFilter,
        "late",
        "scope_flagged",
        FilingStatusFilter,
        "status",
        "registered_on",
        county_filter("region"),
    ]
    search_fields = ["name", "legal_representative", "address"]
    search_exact_fields = ("institution__uscc",)
    search_help_text = _("Name, legal representative or address; or a whole USCC.")
    list_select_related = ["institution", "region", "authority"]
    show_full_result_count = False
    change_list_template = "admin/registry/registration/change_list.html"
    readonly_fields = [f.name for f in Registration._meta.fields] + [
        "late_flag",
        "scope_flag",
        "service_types_text",
    ]
    fieldsets = [
        (None, {"fields": ["institution", "name", "route", "region", "address", "legal_representative"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "authority",
                    "registered_on",
                    "status",
                    "cancelled_on",
                    "business_scope",
                    "service_types_text",
                    "employer_run",
                ]
            },
        ),
        (_("Push"), {"fields": ["first_pushed_at", "updated_at", "late_flag", "scope_flag"]}),
        (
            _("Scope decision"),
            {"fields": ["scope_decision", "scope_decision_note", "scope_decided_at", "scope_decided_by"]},
        ),
    ]
    change_form_template = "admin/registry/registration/change_form.html"

    @admin.display(description=Registration._meta.get_field("region").verbose_name, ordering="region")
    def county(self, obj):
        return obj.region.name

    @admin.display(description=_("USCC"), ordering="institution__uscc")
    def uscc(self, obj):
        return obj.institution.uscc

    @admin.display(description=_("filing status"), ordering="institution__filing_status")
    def filing_status(self, obj):
        return obj.institution.get_filing_status_display()

    @admin.display(description=Registration._meta.get_field("service_types").verbose_name)
    def service_types_text(self, obj):
        return service_types_text(obj.service_types) or "—"

    @admin.display(description=_("flags"))
    def flags(self, obj):
        if obj.scope_decision == Registration.ScopeDecision.NOT_CHILDCARE:
            return obj.get_scope_decision_display()
        return problem_badges(
            (obj.late, gettext("pushed late")),
            (obj.scope_flagged and not obj.scope_decision, gettext("business scope doubtful")),
        )

    @admin.display(description=_("pushed late"))
    def late_flag(self, obj):
        return problem_yes_no(obj.late, gettext("Yes: pushed after the month of registration"))

    @admin.display(description=_("business scope doubtful"))
    def scope_flag(self, obj):
        return problem_yes_no(obj.scope_flagged, gettext("Yes: the scope does not name childcare"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        may_decide = request.user.has_perm(DECIDE_PERMISSION)
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "may_decide": may_decide}
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/scope/",
                self.admin_site.admin_view(self.scope_view),
                name="registry_registration_scope",
            ),
            path(
                "punctuality/",
                self.admin_site.admin_view(self.punctuality_view),
                name="registry_registration_punctuality",
            ),
            *super().get_urls(),
        ]

    def scope_view(self, request, pk):
        """Decide on a doubtful business scope: childcare after all, or not a childcare institution."""
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        registration = self.get_object(request, str(pk))
        if registration is None:
            raise Http404
        change_url = reverse("admin:registry_registration_change", args=[registration.pk])
        form = ScopeDecisionForm(request.POST or None, initial={"decision": request.GET.get("decision")})
        if request.method == "POST" and form.is_valid():
            try:
                scope_decide(registration=registration, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)  # a dict of errors lands at its fields
            else:
                messages.success(
                    request, gettext("Decision recorded: %(name)s") % {"name": registration.name}
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": registration,
            "form": form,
            "title": gettext("Is this a childcare institution?"),
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/registry/registration/scope.html", context)

    def punctuality_view(self, request):
        """Each registration body's on-time rate by month of registration (last twelve months)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        since = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
        rows = push_punctuality(request.user, since=since)
        context = {
            **self.admin_site.each_context(request),
            "title": _("On-time pushes by registration body"),
            "opts": self.model._meta,
            "rows": rows,
            "since": since,
            "changelist_url": reverse("admin:registry_registration_changelist"),
        }
        return TemplateResponse(request, "admin/registry/registration/punctuality.html", context)


class ScopeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=Registration.ScopeDecision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Required when it is not a childcare institution: what it does instead."),
    )


class ConflictForm(forms.ModelForm):
    mark_resolved = forms.BooleanField(
        label=_("Mark resolved"), required=False, help_text=_("Record the resolution and close the conflict.")
    )

    class Meta:
        model = RegistrationConflict
        fields = ["resolution"]


@admin.register(RegistrationConflict)
class RegistrationConflictAdmin(ScopedAdmin):
    form = ConflictForm
    list_display = ["uscc", "pushed_by", "holder", "times_pushed", "first_seen_at", "last_seen_at", "is_open"]
    list_filter = [
        date_set_filter(
            "resolved_at",
            pgettext_lazy("filter", "resolved"),
            pgettext_lazy("conflict", "Resolved"),
            pgettext_lazy("conflict", "Open"),
        ),
        "pushed_by__kind",
    ]
    search_fields = ["uscc", "registration__name"]
    list_select_related = ["pushed_by", "registration__authority"]
    readonly_fields = [
        "uscc",
        "registration",
        "pushed_by",
        "payload",
        "times_pushed",
        "first_seen_at",
        "last_seen_at",
        "resolved_at",
    ]

    @admin.display(description=_("held by"))
    def holder(self, obj):
        return obj.registration.authority

    @admin.display(description=_("state"), ordering="resolved_at")
    def is_open(self, obj):
        if obj.resolved_at is None:
            return problem_badges((True, gettext("open")))
        return pgettext("conflict", "resolved")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("mark_resolved"):
            try:
                conflict_resolve(conflict=obj, resolution=obj.resolution, acting_user=request.user)
            except ConflictAlreadyResolved as exc:
                messages.error(request, str(exc))
        else:
            super().save_model(request, obj, form, change)
