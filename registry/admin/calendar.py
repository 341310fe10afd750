"""The holiday calendar: preset from the `chinesecalendar` package, completed in the admin for years it
does not know yet (the State Council publishes each year's arrangement in the autumn before)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import CalendarDay
from ..workdays import working_calendar


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year + 1, 2003, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(day__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "kind", "name", "source"]
    list_filter = [YearFilter, "kind", "source"]
    search_fields = ["name"]
    ordering = ["-day"]
    list_per_page = 100
    fields = ["day", "kind", "name"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.day.weekday()]

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.BUREAU
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        calendar = working_calendar()
        missing = [year for year in (today.year, today.year + 1) if not calendar.knows(year)]
        if missing and (today.year in missing or today.month >= 11):
            years = "、".join(str(year) for year in missing)
            if self.has_add_permission(request):
                text = gettext(
                    "The holidays of %(years)s are not entered yet: until they are, only weekends are days "
                    "off in the review clock. Add them from the State Council's notice."
                )
            else:
                text = gettext(
                    "The holidays of %(years)s are not entered yet: until they are, only weekends are days "
                    "off in the review clock. The platform's administrators enter them from the State "
                    "Council's notice; tell them if the notice is out."
                )
            messages.warning(request, text % {"years": years})
        return super().changelist_view(request, extra_context)
