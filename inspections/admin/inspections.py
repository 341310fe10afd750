"""Inspections, rectifications and suspensions in the admin. Inspections are recorded on the on-site
pages (a phone); here they are read, and rectifications verified (closed or reopened) by the inspecting
body; the county bureau lifts suspensions."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from filing.admin.common import show_service_error
from registry.admin_scoping import ScopedAdmin, county_filter

from ..models import Finding, Inspection, Rectification, Suspension
from ..selectors import department_of, rectification_days
from ..services import (
    InspectionError,
    rectification_close,
    rectification_extend,
    rectification_reopen,
    suspension_lift,
)


class SupervisionAdmin(ScopedAdmin):
    """Supervision's lists: each row names its institution."""

    @admin.display(description=_("institution"), ordering="institution__name")
    def institution_name(self, obj):
        return obj.institution.name


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page, never edited there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ["code", "text", "severity", "result", "note", "photo_links"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("photos")

    @admin.display(description=_("photos"))
    def photo_links(self, obj):
        return format_html_join(
            " ",
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            ((reverse("field:photo", args=[p.pk]), p.name) for p in obj.photos.all()),
        )


@admin.register(Inspection)
class InspectionAdmin(SupervisionAdmin):
    list_display = ["institution_name", "department", "inspected_on", "status", "outcome", "region"]
    region_columns = ("region",)
    list_filter = ["status", "outcome", "department", county_filter("region")]
    search_fields = ["institution__name"]
    search_exact_fields = ("institution__uscc",)
    list_select_related = ["institution", "region"]
    inlines = [FindingInline]
    fields = [
        "institution",
        "authority",
        "checklist",
        "inspected_on",
        "inspector_names",
        "status",
        "outcome",
        "summary",
        "draw",
        "recorded_at",
        "closed_at",
        "on_site",
    ]
    readonly_fields = fields
    change_form_template = "admin/inspections/inspection/change_form.html"

    @admin.display(description=_("inspectors"))
    def inspector_names(self, obj):
        return "、".join(str(u) for u in obj.inspectors.all())

    @admin.display(description=_("on-site page"))
    def on_site(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("field:inspection", args=[obj.pk]), gettext("Open"))

    def has_change_permission(self, request, obj=None):
        return False  # recorded on the on-site pages

    def lookup_allowed(self, lookup, value, request=None):
        # A plan's page links to the inspections it drew.
        return lookup == "draw__plan__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not department_of(request.user):
            raise PermissionDenied
        return redirect("field:worklist")

    def changelist_view(self, request, extra_context=None):
        extra = {"can_record": bool(department_of(request.user))}
        return super().changelist_view(request, {**(extra_context or {}), **extra})


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", _("Overdue")), ("week", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "1":
            return queryset.filter(status=Rectification.Status.OPEN, deadline__lt=today)
        if self.value() == "week":
            return queryset.filter(
                status=Rectification.Status.OPEN,
                deadline__gte=today,
                deadline__lte=today + datetime.timedelta(days=7),
            )
        return queryset


class CloseForm(forms.Form):
    text = forms.CharField(
        label=_("What was verified"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Why more time is given"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(
        label=_("new deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the answer is not enough"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("new deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


@admin.register(Rectification)
class RectificationAdmin(SupervisionAdmin):
    list_display = ["institution_name", "short_required", "severity", "deadline", "due", "status", "region"]
    region_columns = ("region",)
    list_filter = ["status", OverdueFilter, "severity", "department", county_filter("region")]
    search_fields = ["institution__name", "required"]
    search_exact_fields = ("institution__uscc",)
    list_select_related = ["institution", "region"]
    fields = [
        "institution",
        "inspection",
        "required",
        "found",
        "severity",
        "deadline",
        "due",
        "status",
        "timeline",
    ]
    readonly_fields = fields
    change_form_template = "admin/inspections/rectification/change_form.html"

    @admin.display(description=_("what must be rectified"))
    def short_required(self, obj):
        text = obj.required
        return text if len(text) <= 40 else text[:40] + "…"

    @admin.display(description=_("overdue?"))
    def due(self, obj):
        if obj.status != Rectification.Status.OPEN:
            return "—"
        days = (timezone.localdate() - obj.deadline).days
        if days > 0:
            return format_html(
                '<strong class="overdue">{}</strong>',
                ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days},
            )
        return ngettext("due in %(days)d day", "due in %(days)d days", -days) % {"days": -days}

    @admin.display(description=_("found"))
    def found(self, obj):
        return obj.finding.note

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        rows = []
        for event in obj.events.select_related("by").prefetch_related("files"):
            files = format_html_join(
                " ",
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                ((reverse("field:evidence", args=[f.pk]), f.name) for f in event.files.all()),
            )
            rows.append(
                format_html(
                    "<li>{} · {} · {}{}{} {}</li>",
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                    event.get_kind_display(),
                    event.by,
                    "：" if event.text else "",
                    event.text,
                    files,
                )
            )
        return format_html("<ol>{}</ol>", format_html_join("", "{}", ((r,) for r in rows)))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # changed only through verify (close) and reopen below

    def _inspecting_body(self, request, obj):
        return request.user.has_perm("inspections.change_rectification") and (
            request.user.is_superuser or request.user.authority_id == obj.inspection.authority_id
        )

    def _may_verify(self, request, obj):
        return obj.status == Rectification.Status.ANSWERED and self._inspecting_body(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {
            "can_verify": obj is not None and self._may_verify(request, obj),
            "can_extend": obj is not None
            and obj.status == Rectification.Status.OPEN
            and self._inspecting_body(request, obj),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [
            path(
                "<int:pk>/verify/<str:decision>/",
                self.admin_site.admin_view(self.verify_view),
                name="inspections_rectification_verify",
            ),
            *super().get_urls(),
        ]

    def verify_view(self, request, pk, decision):
        forms_by_decision = {"close": CloseForm, "reopen": ReopenForm, "extend": ExtendForm}
        if decision not in forms_by_decision:
            raise Http404
        rectification = self.get_object(request, str(pk))
        if rectification is None:
            raise Http404
        allowed = (
            rectification.status == Rectification.Status.OPEN
            and self._inspecting_body(request, rectification)
            if decision == "extend"
            else self._may_verify(request, rectification)
        )
        if not allowed:
            raise PermissionDenied
        change_url = reverse("admin:inspections_rectification_change", args=[pk])
        initial = {}
        if decision in ("reopen", "extend"):
            days = rectification_days(rectification.region_id, rectification.severity)
            start = (
                max(timezone.localdate(), rectification.deadline)
                if decision == "extend"
                else timezone.localdate()
            )
            initial["deadline"] = start + datetime.timedelta(days=days)
        form = forms_by_decision[decision](request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                if decision == "close":
                    rectification_close(
                        rectification=rectification, text=form.cleaned_data["text"], acting_user=request.user
                    )
                    messages.success(request, gettext("Verified and closed; the institution has been told."))
                elif decision == "extend":
                    rectification_extend(
                        rectification=rectification, acting_user=request.user, **form.cleaned_data
                    )
                    messages.success(request, gettext("Deadline extended; the institution has been told."))
                else:
                    rectification_reopen(
                        rectification=rectification, acting_user=request.user, **form.cleaned_data
                    )
                    messages.success(
                        request, gettext("Reopened with a new deadline; the institution has been told.")
                    )
            except InspectionError as error:
                show_service_error(form, error)
            else:
                return redirect(change_url)
        if decision == "close":
            title, text, button = (
                gettext("Verify and close this rectification?"),
                gettext(
                    "The institution is told; once the inspection has no open one, its result is public."
                ),
                gettext("Yes, close it"),
            )
        elif decision == "extend":
            title, text, button = (
                gettext("Give more time for this rectification?"),
                gettext(
                    "The institution is told the new deadline and why; the escalation starts again from it."
                ),
                gettext("Extend the deadline"),
            )
        else:
            title, text, button = (
                gettext("Reopen this rectification?"),
                gettext("The institution is told why and must answer again by the new deadline."),
                gettext("Yes, reopen it"),
            )
        return confirm_page(
            self,
            request,
            rectification,
            form,
            title=title,
            text=text,
            button=button,
            change_url=change_url,
            details=[
                (gettext("what must be rectified"), rectification.required),
                (gettext("timeline"), self.timeline(rectification)),
            ],
        )


class LiftedFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "lifted"

    def lookups(self, request, model_admin):
        return [("0", _("In force")), ("1", _("Lifted"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(lifted_on__isnull=self.value() == "0")
        return queryset


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the suspension is lifted"), widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Suspension)
class SuspensionAdmin(SupervisionAdmin):
    list_display = ["institution_name", "starts_on", "lifted_on", "region"]
    region_columns = ("region",)
    list_filter = [LiftedFilter, county_filter("region")]
    search_fields = ["institution__name"]
    list_select_related = ["institution", "region"]
    fields = [
        "institution",
        "inspection",
        "reason",
        "starts_on",
        "decided_by",
        "lifted_on",
        "lifted_by",
        "lift_reason",
    ]
    readonly_fields = fields
    change_form_template = "admin/inspections/suspension/change_form.html"

    def has_add_permission(self, request):
        return False  # recorded with an inspection's outcome

    def has_delete_permission(self, request, obj=None):
        return False

    def _may_lift(self, request, obj):
        return not obj.lifted_on and request.user.has_perm("inspections.change_suspension")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"can_lift": obj is not None and self._may_lift(request, obj)}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [
            path(
                "<int:pk>/lift/",
                self.admin_site.admin_view(self.lift_view),
                name="inspections_suspension_lift",
            ),
            *super().get_urls(),
        ]

    def lift_view(self, request, pk):
        suspension = self.get_object(request, str(pk))
        if suspension is None:
            raise Http404
        if not self._may_lift(request, suspension):
            raise PermissionDenied
        change_url = reverse("admin:inspections_suspension_change", args=[pk])
        form = LiftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                suspension_lift(
                    suspension=suspension, reason=form.cleaned_data["reason"], acting_user=request.user
                )
            except InspectionError as error:
                show_service_error(form, error)
            else:
                messages.success(
                    request, gettext("The suspension is lifted; the public page no longer shows it.")
                )
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            suspension,
            form,
            title=gettext("Lift the suspension of %(name)s?") % {"name": suspension.institution.name},
            text=gettext("The institution may take in children again and the public page stops showing it."),
            button=gettext("Yes, lift it"),
            change_url=change_url,
        )


def confirm_page(model_admin, request, obj, form, *, title, text, button, change_url, details=()):
    context = {
        "details": details,
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": obj,
        "form": form,
        "title": title,
        "text": text,
        "button": button,
        "change_url": change_url,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/inspections/confirm.html", context)
