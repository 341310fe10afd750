"""The conference, its member units and role holders, and the office's pages: the dashboard, the plan
import with its dry run, and issuing a bulletin."""

import base64
import datetime
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from registry.selectors import visible, visible_authorities

from ..excel import SheetError, plan_template, read_plan_sheet
from ..models import Conference, MemberUnit, RoleAssignment, Task
from ..selectors import (
    current,
    is_office,
    overdue_tasks,
    progress_by_unit,
    responsible_names,
    visible_conferences,
)
from ..services import (
    ConferenceError,
    bulletin_compose,
    bulletin_issue,
    plan_import,
    role_assign,
    role_end,
)
from .base import ConferenceScopedAdmin, report_error

MAX_SHEET_BYTES = 2 * 1024 * 1024


class MemberUnitInline(admin.TabularInline):
    model = MemberUnit
    extra = 0
    fields = ["position", "authority", "short_name", "aliases", "duties"]
    ordering = ["position", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("authority")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "authority":
            kwargs["queryset"] = visible_authorities(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Narrow widgets keep the table within a 1366 px screen; the duties box grows as it is read.
    WIDGETS = {
        "position": forms.NumberInput(attrs={"style": "width: 4em"}),
        "short_name": forms.TextInput(attrs={"size": 10}),
        "aliases": forms.TextInput(attrs={"size": 12}),
        "duties": forms.Textarea(attrs={"rows": 2, "cols": 36}),
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.WIDGETS:
            kwargs["widget"] = self.WIDGETS[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Conference)
class ConferenceAdmin(ConferenceScopedAdmin):
    conference_path = "pk"
    list_display = ["name", "region", "units_count", "open_count", "overdue_count", "dashboard_link"]
    list_select_related = ["region"]
    search_fields = ["name"]
    inlines = [MemberUnitInline]
    change_form_template = "admin/conference/conference/change_form.html"
    fieldsets = [
        (None, {"fields": ["name", "region", "organiser", "established_on"]}),
        (
            _("Policy"),
            {
                "fields": [
                    "plenary_min_per_year",
                    "plenary_max_per_year",
                    "due_soon_days",
                    "overdue_days",
                    "long_overdue_days",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        today = timezone.localdate()
        active = Q(tasks__status__in=Task.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .annotate(
                _units=Count("units", distinct=True),
                _open=Count("tasks", filter=active, distinct=True),
                _overdue=Count("tasks", filter=active & Q(tasks__due_on__lt=today), distinct=True),
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("region", "organiser"):
            kwargs["queryset"] = visible(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("member units"), ordering="_units")
    def units_count(self, obj):
        return obj._units

    @admin.display(description=_("open tasks"), ordering="_open")
    def open_count(self, obj):
        return obj._open

    @admin.display(description=_("overdue tasks"), ordering="_overdue")
    def overdue_count(self, obj):
        if not obj._overdue:
            return 0
        return format_html('<strong class="conference-overdue">{}</strong>', obj._overdue)

    @admin.display(description=_("dashboard"))
    def dashboard_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:conference_dashboard", args=[obj.pk]), gettext("Dashboard")
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_office(request.user, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conference = self.get_object(request, object_id)
        extra = {"is_office": conference is not None and is_office(request.user, conference)}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/dashboard/", view(self.dashboard_view), name="conference_dashboard"),
            path("<int:pk>/import/", view(self.import_view), name="conference_import"),
            path("<int:pk>/import/template/", view(self.template_view), name="conference_import_template"),
            path("<int:pk>/bulletin/", view(self.bulletin_view), name="conference_bulletin_issue"),
            *super().get_urls(),
        ]

    def _conference(self, request, pk, *, office=False) -> Conference:
        if not self.has_view_permission(request):
            raise PermissionDenied
        conference = self.get_queryset(request).select_related("region", "organiser").filter(pk=pk).first()
        if conference is None:
            raise Http404
        if office and not is_office(request.user, conference):
            raise PermissionDenied
        return conference

    def _context(self, request, conference, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": conference,
            "conference": conference,
            "title": title,
            "media": self.media,
            "is_office": is_office(request.user, conference),
            **extra,
        }

    # The office's dashboard -----------------------------------------------------------------------------

    def dashboard_view(self, request, pk):
        """Tasks by unit and status, overdue first, with bars drawn on the server (no scripts)."""
        conference = self._conference(request, pk)
        today = timezone.localdate()
        units = progress_by_unit(conference, today=today)
        widest = max([u["total"] for u in units] + [1])
        for unit in units:
            # Overdue tasks are open or in progress too: the bar shows them once, apart from the rest.
            on_time = unit["open"] + unit["in_progress"] - unit["overdue"]
            unit["bars"] = [
                (key, label, value, round(100 * value / widest, 1))
                for key, label, value in (
                    ("overdue", gettext("Overdue"), unit["overdue"]),
                    ("active", gettext("Open or in progress, on time"), on_time),
                    ("done", gettext("Done"), unit["done"]),
                    ("cancelled", pgettext("task", "Cancelled"), unit["cancelled"]),
                )
            ]
        totals = {
            k: sum(u[k] for u in units)
            for k in ("total", "open", "in_progress", "done", "cancelled", "overdue")
        }
        units.sort(key=lambda u: (-u["overdue"], -(u["open"] + u["in_progress"]), u["unit"] or "~"))
        overdue = list(overdue_tasks(conference, today=today)[:200])
        names = responsible_names(overdue)
        for task in overdue:
            task.days = (today - task.due_on).days
            task.responsible = "、".join(names.get(task.pk, []))
        chart = _status_chart(totals)
        context = self._context(
            request,
            conference,
            gettext("Dashboard: %(name)s") % {"name": conference.name},
            units=units,
            totals=totals,
            overdue=overdue,
            chart=chart,
            today=today,
            plenary_this_year=conference.meetings.filter(kind="plenary", held_on__year=today.year).count(),
            holders=current(RoleAssignment.objects.filter(conference=conference, unit__isnull=True))
            .select_related("user")
            .order_by("role"),
        )
        return TemplateResponse(request, "admin/conference/dashboard.html", context)

    # Plan import with a dry run ----------------------------------------------------------------------------

    def template_view(self, request, pk):
        self._conference(request, pk, office=True)
        response = HttpResponse(
            plan_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="plan.xlsx"'
        return response

    def import_view(self, request, pk):
        """Upload a sheet: every row is checked and every bad row reported, nothing written. When all rows
        are good the office confirms, and the rows are written together or not at all."""
        conference = self._conference(request, pk, office=True)
        session_key = f"conference-import-{conference.pk}"
        report, form = None, PlanUploadForm()
        if request.method == "POST" and request.POST.get("confirm") and session_key in request.session:
            content = base64.b64decode(request.session[session_key])
            rows = read_plan_sheet(io.BytesIO(content))
            report = plan_import(conference=conference, rows=rows, dry_run=False, acting_user=request.user)
            if report.ok:
                del request.session[session_key]
                messages.success(request, gettext("%(n)d tasks imported.") % {"n": report.created})
                url = reverse("admin:conference_task_changelist")
                return redirect(f"{url}?conference__id__exact={conference.pk}")
            messages.error(request, gettext("The sheet now has problems; nothing was imported."))
        elif request.method == "POST":
            form = PlanUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["sheet"]
                content = upload.read()
                try:
                    rows = read_plan_sheet(io.BytesIO(content))
                except SheetError as error:
                    form.add_error("sheet", str(error))
                else:
                    report = plan_import(
                        conference=conference, rows=rows, dry_run=True, acting_user=request.user
                    )
                    if report.ok:
                        request.session[session_key] = base64.b64encode(content).decode()
                    else:
                        request.session.pop(session_key, None)
        context = self._context(
            request,
            conference,
            gettext("Import a plan: %(name)s") % {"name": conference.name},
            form=form,
            report=report,
        )
        return TemplateResponse(request, "admin/conference/import.html", context)

    # Issue a bulletin ------------------------------------------------------------------------------------

    def bulletin_view(self, request, pk):
        """Preview what the bulletin will say; issue it on confirmation."""
        conference = self._conference(request, pk, office=True)
        if request.method == "POST":
            try:
                bulletin = bulletin_issue(conference=conference, acting_user=request.user)
            except (ConferenceError, PermissionDenied) as error:
                report_error(request, error)
                return redirect(reverse("admin:conference_bulletin_issue", args=[conference.pk]))
            messages.success(
                request,
                gettext("%(bulletin)s issued to %(n)d people.")
                % {"bulletin": bulletin, "n": bulletin.recipients},
            )
            return redirect(reverse("admin:conference_bulletin_change", args=[bulletin.pk]))
        previous = conference.bulletins.order_by("-issued_at", "-pk").first()
        snapshot = bulletin_compose(conference, since=previous.issued_at if previous else None)
        context = self._context(
            request,
            conference,
            gettext("Issue a bulletin?"),
            snapshot=snapshot,
            previous=previous,
        )
        return TemplateResponse(request, "admin/conference/bulletin_issue.html", context)


def _status_chart(totals: dict) -> list[dict]:
    """The bars of the status chart as SVG geometry (a horizontal bar per status)."""
    widest = max([totals[k] for k in ("open", "in_progress", "done", "cancelled", "overdue")] + [1])
    rows = [
        ("overdue", gettext("Overdue")),
        ("open", gettext("Open")),
        ("in_progress", gettext("In progress")),
        ("done", gettext("Done")),
        ("cancelled", pgettext("task", "Cancelled")),
    ]
    return [
        {
            "key": key,
            "label": label,
            "value": totals[key],
            "y": 8 + i * 28,
            "width": round(300 * totals[key] / widest),
        }
        for i, (key, label) in enumerate(rows)
    ]


class PlanUploadForm(forms.Form):
    sheet = forms.FileField(
        label=_("Plan sheet (.xlsx)"),
        help_text=_("Columns: item, lead unit, responsible units (separated by 、 , or ；), due date."),
    )

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if sheet.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(gettext("The sheet is larger than 2 MB."))
        if not sheet.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(gettext("Upload an .xlsx file."))
        return sheet


# Role holders ---------------------------------------------------------------------------------------------


class CurrentFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return current(queryset)
        if self.value() == "past":
            return queryset.filter(ends_on__lt=timezone.localdate())
        return queryset


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["conference", "role", "unit", "user", "starts_on", "ends_on"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ConferenceScopedAdmin):
    """Appointing someone ends the current holder's term the day before (for roles one person holds), so
    a change of liaison keeps who held the role when."""

    form = RoleAssignmentForm
    list_display = ["conference", "role", "unit", "user", "starts_on", "ends_on", "is_current"]
    list_filter = ["role", CurrentFilter, ("conference", admin.RelatedOnlyFieldListFilter)]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if visible_conferences(request.user)[:2].count() < 2:  # one conference: its name on every row
            return [c for c in columns if c != "conference"]
        return columns

    list_select_related = ["conference", "unit", "user"]
    search_fields = ["user__username", "user__first_name", "unit__short_name"]
    ordering = ["conference", "role", "unit__position", "-starts_on"]

    def get_readonly_fields(self, request, obj=None):
        return ["conference", "role", "unit", "user", "starts_on"] if obj else []

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj):
        today = timezone.localdate()
        return obj.starts_on <= today and (obj.ends_on is None or obj.ends_on >= today)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_office(request.user, obj.conference))

    def has_add_permission(self, request):
        return super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        if change:
            if obj.ends_on:
                role_end(assignment=obj, ends_on=obj.ends_on, acting_user=request.user)
            else:
                obj._history_user = request.user
                obj.save()
            return
        if not is_office(request.user, obj.conference):
            raise PermissionDenied
        assignment = role_assign(
            conference=obj.conference,
            role=obj.role,
            user=obj.user,
            unit=obj.unit,
            starts_on=obj.starts_on,
            acting_user=request.user,
        )
        if obj.ends_on:
            role_end(assignment=assignment, ends_on=obj.ends_on, acting_user=request.user)
        obj.pk = assignment.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class Checked(form):
            def clean(self):
                data = super().clean()
                if obj is None and data.get("conference") and data.get("role") and data.get("user"):
                    try:
                        _check_assignment(data)
                    except ConferenceError as error:
                        raise forms.ValidationError(error.message) from None
                return data

        return Checked


def _check_assignment(data) -> None:
    """The service's checks, run at form time so a refusal shows on the form, not as an error page."""
    from django.db import transaction

    from ..services import role_assign as assign

    with transaction.atomic():
        assign(
            conference=data["conference"],
            role=data["role"],
            user=data["user"],
            unit=data.get("unit"),
            starts_on=data.get("starts_on") or datetime.date.today(),
        )
        transaction.set_rollback(True)
