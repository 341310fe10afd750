"""Meetings and their decided items, bulletins (with their Excel and printable page), escalations and
plenary-meeting shortfalls."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import ReadOnlyAdminMixin

from ..excel import bulletin_workbook
from ..models import Bulletin, DecidedItem, Escalation, Meeting, MemberUnit, PlenaryShortfall, RoleAssignment
from ..selectors import in_visible_conferences, is_office
from ..services import ConferenceError, decided_item_to_task
from .base import ConferenceScopedAdmin, report_error, same_conference


class DecidedItemInline(admin.TabularInline):
    model = DecidedItem
    extra = 1
    fields = ["text", "lead_unit", "due_on", "task_link"]
    readonly_fields = ["task_link"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_unit":
            meeting = getattr(request, "_conference_meeting", None)
            units = in_visible_conferences(MemberUnit.objects.all(), request.user)
            if meeting is not None:
                units = units.filter(conference=meeting.conference_id)
            kwargs["queryset"] = units.select_related("conference")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("task"))
    def task_link(self, obj):
        task = getattr(obj, "task", None) if obj.pk else None
        if task is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:conference_task_change", args=[task.pk]), task
        )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["conference", "kind", "held_on", "convened_by", "attending_units", "agenda", "minutes"]

    def clean(self):
        data = super().clean()
        same_conference(self, data.get("conference"), "attending_units")
        return data


@admin.register(Meeting)
class MeetingAdmin(ConferenceScopedAdmin):
    form = MeetingForm
    list_display = ["held_on", "kind", "conference", "items"]
    list_filter = ["kind", ("conference", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["conference"]
    date_hierarchy = "held_on"
    inlines = [DecidedItemInline]
    filter_horizontal = ["attending_units"]
    actions = ["make_tasks"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_items=Count("decided_items"))

    @admin.display(description=_("decided items"), ordering="_items")
    def items(self, obj):
        return obj._items

    def get_object(self, request, object_id, from_field=None):
        meeting = super().get_object(request, object_id, from_field)
        request._conference_meeting = meeting
        return meeting

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "convened_by":
            # The people who hold a role in a conference the person sees, not every user of the platform.
            roles = in_visible_conferences(RoleAssignment.objects.all(), request.user)
            kwargs["queryset"] = db_field.related_model.objects.filter(pk__in=roles.values("user_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_office(request.user, obj.conference))

    def save_model(self, request, obj, form, change):
        if not is_office(request.user, obj.conference):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Turn the decided items into tasks"), permissions=["change"])
    def make_tasks(self, request, queryset):
        made = 0
        for meeting in queryset:
            for item in meeting.decided_items.filter(task__isnull=True):
                try:
                    decided_item_to_task(item=item, acting_user=request.user)
                except (ConferenceError, PermissionDenied) as error:
                    report_error(request, error)
                else:
                    made += 1
        messages.success(request, gettext("%(n)d tasks created from decided items.") % {"n": made})


@admin.register(Bulletin)
class BulletinAdmin(ConferenceScopedAdmin):
    list_display = ["__str__", "conference", "kind", "issued_at", "issued_by", "recipients", "downloads"]
    list_filter = ["kind", ("conference", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["conference", "issued_by"]
    fields = [
        "conference",
        "number",
        "kind",
        "month",
        "since",
        "issued_at",
        "issued_by",
        "recipients",
        "content",
    ]
    readonly_fields = fields
    change_form_template = "admin/conference/bulletin/change_form.html"

    def has_add_permission(self, request):
        return False  # issued from the conference ("Issue a bulletin"), after a preview

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("download"))
    def downloads(self, obj):
        return format_html(
            '<a href="{}">Excel</a> · <a href="{}" target="_blank">{}</a>',
            reverse("admin:conference_bulletin_xlsx", args=[obj.pk]),
            reverse("admin:conference_bulletin_print", args=[obj.pk]),
            gettext("Print"),
        )

    @admin.display(description=_("content"))
    def content(self, obj):
        from django.template.loader import render_to_string

        return render_to_string("conference/_bulletin_body.html", {"snapshot": obj.snapshot, "bulletin": obj})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/xlsx/", view(self.xlsx_view), name="conference_bulletin_xlsx"),
            path("<int:pk>/print/", view(self.print_view), name="conference_bulletin_print"),
            *super().get_urls(),
        ]

    def _bulletin(self, request, pk) -> Bulletin:
        if not self.has_view_permission(request):
            raise PermissionDenied
        bulletin = self.get_queryset(request).filter(pk=pk).first()
        if bulletin is None:
            raise Http404
        return bulletin

    def xlsx_view(self, request, pk):
        bulletin = self._bulletin(request, pk)
        response = HttpResponse(
            bulletin_workbook(bulletin),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{bulletin.conference.name}-通报-{bulletin.number}.xlsx"
        )
        return response

    def print_view(self, request, pk):
        bulletin = self._bulletin(request, pk)
        return TemplateResponse(
            request,
            "conference/bulletin_print.html",
            {"bulletin": bulletin, "snapshot": bulletin.snapshot, "conference": bulletin.conference},
        )


class ReadOnlyAdmin(ReadOnlyAdminMixin, ConferenceScopedAdmin):
    pass


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    conference_path = "task__conference"
    list_display = ["task", "rung", "fired_at", "recipients"]
    list_filter = ["rung"]
    list_select_related = ["task"]


@admin.register(PlenaryShortfall)
class PlenaryShortfallAdmin(ReadOnlyAdmin):
    list_display = ["conference", "year", "held", "required", "warned_at"]
    list_select_related = ["conference"]
