"""The monthly push reports and the escalation ladders in the admin."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import (
    NationalOrLocal,
    ReadOnlyAdminMixin,
    ScopedAdmin,
    county_column,
    county_filter,
)

from ..models import EscalationRung, EscalationStep, MonthlyReport
from ..models.escalation import Audience
from ..models.reports import COUNT_LABELS, COUNTS, SECTIONS
from .policy import RegionalPolicyAdmin


def format_html_join_rows(pairs):
    return format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", pairs)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["region", "month_label", "level", *[f"count_{s}" for s in SECTIONS], "rate", "workbook"]
    list_filter = ["level", "month"]
    search_fields = ["region__code", "region__name"]
    list_select_related = ["region"]
    date_hierarchy = "month"
    fields = ["region", "month_label", "level", "generated_at", "summary", "on_time", "workbook"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, obj):
        return f"{obj.month:%Y-%m}"

    @admin.display(description=_("on-time rate"))
    def rate(self, obj):
        return "—" if obj.on_time_rate is None else f"{obj.on_time_rate}%"

    @admin.display(description=_("workbook"))
    def workbook(self, obj):
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("filing:report-workbook", args=[obj.pk]),
            _("Download Excel"),
        )

    @admin.display(description=_("what happened"))
    def summary(self, obj):
        return format_html(
            "<table>{}</table>",
            format_html_join_rows((COUNT_LABELS[s], obj.counts[s]) for s in COUNTS if s in obj.counts),
        )

    @admin.display(description=_("on-time pushes by registration body"))
    def on_time(self, obj):
        if not obj.punctuality:
            return _("Nothing was registered this month.")
        late = _("pushed late")
        rows = [
            (
                f"{b.get('county', '')} {b['authority']}".strip(),
                f"{b['on_time']}/{b['total']}（{b['rate']}%）"
                + (f" — {late}：{'、'.join(b['late_names'])}" if b.get("late_names") else ""),
            )
            for b in obj.punctuality
        ]
        return format_html("<table>{}</table>", format_html_join_rows(rows))


def _count(section):
    labels = {
        "registrations": _("registered"),
        "cancellations": _("cancelled"),
        "filings": _("filed"),
        "changes": _("changed"),
        "terminations": _("terminated"),
    }

    @admin.display(description=labels[section])
    def count(self, obj):
        return obj.counts.get(section, 0)

    return count


for _section in SECTIONS:
    setattr(MonthlyReportAdmin, f"count_{_section}", _count(_section))


class RungForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(
        label=_("who is told"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = EscalationRung
        fields = ["region", "ladder", "rung", "days", "audience"]


@admin.register(EscalationRung)
class EscalationRungAdmin(RegionalPolicyAdmin):
    form = RungForm
    list_display = ["ladder", "region_name", "rung", "days", "audience_list"]
    list_filter = ["ladder", NationalOrLocal]
    search_fields = ["region__code", "region__name"]
    ordering = ["ladder", "region", "rung"]

    @admin.display(description=_("who is told"))
    def audience_list(self, obj):
        labels = dict(Audience.choices)
        return "、".join(str(labels.get(a, a)) for a in obj.audience)


class RungFilter(admin.SimpleListFilter):
    """The rungs the ladders define (a small policy table), not a DISTINCT over every step."""

    title = _("rung")
    parameter_name = "rung"

    def lookups(self, request, model_admin):
        rungs = EscalationRung.objects.order_by("rung").values_list("rung", flat=True).distinct()
        return [(str(rung), str(rung)) for rung in rungs]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(rung=int(value)) if value and value.isdigit() else queryset


@admin.register(EscalationStep)
class EscalationStepAdmin(ScopedAdmin):
    list_display = ["fired_at", "ladder", "rung", "institution", "county", "episode"]
    region_columns = ("county",)
    list_filter = ["ladder", RungFilter, county_filter("region")]
    search_fields = ["institution__name", "institution__uscc"]
    list_select_related = ["institution", "region"]
    county = county_column()
    ordering = ["region", "-fired_at", "-id"]  # the index's order: county by county, the latest first
    readonly_fields = ["ladder", "rung", "institution", "subject_id", "episode", "fired_at", "notified"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
