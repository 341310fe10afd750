"""Tasks in the admin: the office's list (overdue first), the transitions, a liaison's page of their
unit's tasks with one-step progress reporting, and the attachments, served privately."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import MemberUnit, ProgressReport, Task
from ..selectors import in_visible_conferences, is_office, liaison_units, visible_conferences
from ..services import (
    ConferenceError,
    task_cancel,
    task_confirm,
    task_mark_done,
    task_reopen,
    task_report_progress,
)
from .base import ConferenceScopedAdmin, report_error, same_conference


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("due_soon", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        active = queryset.filter(status__in=Task.ACTIVE)
        if self.value() == "overdue":
            return active.filter(due_on__lt=today)
        if self.value() == "due_soon":
            return active.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=7))
        return queryset


class UnitFilter(admin.SimpleListFilter):
    """Tasks a unit leads or shares, offering only units of the conferences the person sees."""

    title = _("member unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = MemberUnit.objects.filter(conference__in=visible_conferences(request.user).values("pk"))
        return [(u.pk, u.short_name) for u in units.order_by("conference_id", "position")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(Q(lead_unit_id=self.value()) | Q(responsible_units=self.value())).distinct()


class ReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    can_delete = False
    fields = ["reported_at", "unit", "text", "file", "reported_by"]
    readonly_fields = fields
    ordering = ["-reported_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "reported_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("conference.view_task")

    @admin.display(description=_("attachment"))
    def file(self, obj):
        if not obj.attachment:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:conference_report_file", args=[obj.pk]), obj.original_name
        )


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "conference",
            "reference",
            "title",
            "description",
            "lead_unit",
            "responsible_units",
            "other_parties",
            "due_on",
        ]

    def clean(self):
        data = super().clean()
        conference = data.get("conference") or getattr(self.instance, "conference", None)
        same_conference(self, conference, "lead_unit", "responsible_units")
        return data


@admin.register(Task)
class TaskAdmin(ConferenceScopedAdmin):
    form = TaskForm
    list_display = [
        "reference",
        "short_title",
        "lead_unit",
        "responsible",
        "due_on",
        "status",
        "deadline",
        "confirmed",
    ]
    list_display_links = ["reference", "short_title"]
    list_filter = ["status", OverdueFilter, UnitFilter, ("conference", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["lead_unit", "conference"]
    search_fields = ["title", "reference", "description"]
    list_per_page = 50
    inlines = [ReportInline]
    readonly_fields = ["status", "status_note", "source", "decided_item", "done_at", "confirmed_at"]
    change_form_template = "admin/conference/task/change_form.html"
    change_list_template = "admin/conference/task/change_list.html"
    actions = ["confirm_selected"]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                _rank=Case(
                    When(status__in=Task.ACTIVE, due_on__lt=today, then=Value(0)),
                    When(status__in=Task.ACTIVE, then=Value(1)),
                    When(status=Task.Status.DONE, confirmed_at__isnull=True, then=Value(2)),
                    default=Value(3),
                    output_field=IntegerField(),
                )
            )
            .order_by("_rank", "due_on", "pk")
            .prefetch_related("responsible_units")
        )

    @admin.display(description=_("task"), ordering="title")
    def short_title(self, obj):
        return obj.title if len(obj.title) <= 40 else obj.title[:40] + "…"

    @admin.display(description=_("responsible units"))
    def responsible(self, obj):
        names = [u.short_name for u in obj.responsible_units.all()]
        if obj.other_parties:
            names.append(obj.other_parties)
        return "、".join(names) or "—"

    @admin.display(description=_("deadline"), ordering="_rank")
    def deadline(self, obj):
        if not obj.is_active:
            return "—"
        days = obj.days_late()
        if days > 0:
            return format_html(
                '<strong class="conference-overdue">{}</strong>',
                gettext("%(days)d days overdue") % {"days": days},
            )
        return gettext("%(days)d days left") % {"days": -days}

    @admin.display(description=_("confirmed by the office"), boolean=True)
    def confirmed(self, obj):
        return bool(obj.confirmed_at)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "conference"] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_office(request.user, obj.conference))

    def save_model(self, request, obj, form, change):
        if not is_office(request.user, obj.conference):
            raise PermissionDenied
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Confirm the selected tasks are done"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        confirmed = 0
        for task in queryset.filter(status=Task.Status.DONE, confirmed_at__isnull=True):
            try:
                task_confirm(task=task, acting_user=request.user)
            except (ConferenceError, PermissionDenied) as error:
                report_error(request, error)
            else:
                confirmed += 1
        messages.success(request, gettext("%(n)d tasks confirmed.") % {"n": confirmed})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task = self.get_object(request, object_id)
        extra = {}
        if task is not None:
            mine = liaison_units(request.user).filter(conference=task.conference_id)
            office = is_office(request.user, task.conference)
            extra = {
                "transitions": self._allowed(request, task),
                "report_form": ReportForm(units=_units_to_report_for(request.user, task))
                if task.is_active and (office or mine.exists())
                else None,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _allowed(self, request, task) -> list[tuple[str, str]]:
        """The transitions this person may press on this task now (the services check again)."""
        office = is_office(request.user, task.conference)
        mine = liaison_units(request.user).filter(conference=task.conference_id)
        leads = task.lead_unit_id is not None and mine.filter(pk=task.lead_unit_id).exists()
        return _transitions(task, office=office, leads=leads)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("mine/", view(self.mine_view), name="conference_task_mine"),
            path("<int:pk>/report/", view(self.report_view), name="conference_task_report"),
            path(
                "<int:pk>/transition/<str:action>/",
                view(self.transition_view),
                name="conference_task_transition",
            ),
            path("reports/<int:pk>/file/", view(self.file_view), name="conference_report_file"),
            *super().get_urls(),
        ]

    def _task(self, request, pk) -> Task:
        if not self.has_view_permission(request):
            raise PermissionDenied
        task = self.get_queryset(request).filter(pk=pk).first()
        if task is None:
            raise Http404
        return task

    def mine_view(self, request):
        """A liaison's page: the tasks of their unit(s), active and overdue first, each with a small form
        to report progress in one step."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        units = list(liaison_units(request.user))
        tasks = (
            self.get_queryset(request)
            .filter(Q(lead_unit__in=units) | Q(responsible_units__in=units))
            .distinct()
            .select_related("lead_unit", "conference")
        )
        show_all = request.GET.get("all") == "1"
        if not show_all:
            tasks = tasks.filter(status__in=Task.ACTIVE)
        tasks = list(tasks[:300])
        unit_ids = {u.pk for u in units}
        for task in tasks:
            task.i_lead = task.lead_unit_id in unit_ids
            task.form = ReportForm(prefix=f"t{task.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("My unit's tasks"),
            "units": units,
            "tasks": tasks,
            "show_all": show_all,
            "media": self.media,
            "today": timezone.localdate(),
        }
        return TemplateResponse(request, "admin/conference/task/mine.html", context)

    def report_view(self, request, pk):
        """Report progress. A report that cannot be kept is shown again with its text and the reason, on a
        page of its own, so nothing typed is lost."""
        task = self._task(request, pk)
        back = _back(request, reverse("admin:conference_task_change", args=[task.pk]))
        prefix = request.POST.get("prefix") or None
        units = _units_to_report_for(request.user, task)
        form = ReportForm(request.POST or None, request.FILES or None, prefix=prefix, units=units)
        if request.method == "POST" and form.is_valid():
            try:
                task_report_progress(
                    task=task,
                    text=form.cleaned_data["text"],
                    attachment=form.cleaned_data.get("attachment"),
                    unit=form.cleaned_data.get("unit"),
                    acting_user=request.user,
                )
            except (ConferenceError, PermissionDenied) as error:
                refused = gettext("You may not report progress on this task.")
                form.add_error(None, getattr(error, "message", "") or str(error) or refused)
            else:
                messages.success(request, gettext("Progress reported: %(task)s") % {"task": task})
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": task,
            "title": gettext("Report progress"),
            "form": form,
            "prefix": prefix or "",
            "next": back,
            "change_url": reverse("admin:conference_task_change", args=[task.pk]),
            "media": self.media + form.media,
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "admin/conference/task/report.html", context, status=status)

    def transition_view(self, request, pk, action):
        """Mark done, confirm, reopen or cancel, after a confirmation page (with a note or a reason)."""
        if action not in TRANSITIONS:
            raise Http404
        task = self._task(request, pk)
        change_url = reverse("admin:conference_task_change", args=[task.pk])
        if action not in dict(self._allowed(request, task)):
            messages.error(request, gettext("You may not do this to this task now."))
            return redirect(change_url)
        label, needs_reason, _run = TRANSITIONS[action]
        form = TransitionForm(request.POST if request.method == "POST" else None, needs_reason=needs_reason)
        if request.method == "POST" and form.is_valid():
            try:
                _run(task, request.user, form.cleaned_data.get("note", ""))
            except (ConferenceError, PermissionDenied) as error:
                report_error(request, error)
            else:
                messages.success(request, gettext("%(action)s: %(task)s") % {"action": label, "task": task})
            return redirect(_back(request, change_url))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": task,
            "title": label,
            "form": form,
            "change_url": change_url,
            "next": request.GET.get("next", ""),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/conference/task/transition.html", context)

    def file_view(self, request, pk):
        """An attachment, to whoever may see the task's conference; never from MEDIA_URL."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        reports = in_visible_conferences(ProgressReport.objects.all(), request.user, "task__conference")
        report = reports.filter(pk=pk).exclude(attachment="").first()
        if report is None:
            raise Http404
        try:
            handle = report.attachment.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=report.content_type or "application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=report.original_name or "attachment"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def _units_to_report_for(user, task):
    """The task's units, lead first, when the office reports for one of them; None when the person
    reports as the liaison of their own unit (or may not report at all)."""
    task_units = {task.lead_unit_id, *task.responsible_units.values_list("pk", flat=True)} - {None}
    if liaison_units(user).filter(pk__in=task_units).exists() or not is_office(user, task.conference):
        return None
    lead_first = Case(
        When(pk=task.lead_unit_id, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return MemberUnit.objects.filter(pk__in=task_units).order_by(lead_first, "position")


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


TRANSITIONS = {
    "done": (
        _("Mark done"),
        False,
        lambda task, user, note: task_mark_done(task=task, acting_user=user, note=note),
    ),
    "confirm": (_("Confirm done"), False, lambda task, user, note: task_confirm(task=task, acting_user=user)),
    "reopen": (
        _("Reopen"),
        True,
        lambda task, user, note: task_reopen(task=task, acting_user=user, reason=note),
    ),
    "cancel": (
        _("Cancel the task"),
        True,
        lambda task, user, note: task_cancel(task=task, acting_user=user, reason=note),
    ),
}


def _transitions(task: Task, *, office: bool, leads: bool) -> list[tuple[str, str]]:
    """The buttons this person may press on this task now."""
    found = []
    if task.is_active and (leads or (office and task.lead_unit_id is None)):
        found.append("done")
    if office and task.status == Task.Status.DONE and not task.confirmed_at:
        found += ["confirm", "reopen"]
    if office and task.is_active:
        found.append("cancel")
    return [(name, TRANSITIONS[name][0]) for name in found]


class ReportForm(forms.Form):
    text = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))
    attachment = forms.FileField(label=_("attachment"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        """`units`: the task's units, when the office reports on behalf of one of them."""
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(
                units, label=_("on behalf of"), initial=units.first(), empty_label=None
            )


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["note"].required = True
            self.fields["note"].label = _("reason")
