from django import template
from django.utils import timezone

from .. import workbench as board

register = template.Library()


@register.inclusion_tag("admin/workbench.html", takes_context=True)
def workbench(context):
    request = context["request"]
    provinces = board.provinces_for(request.user)
    picked = request.GET.get("region", "")
    if picked not in {p.pk for p in provinces}:
        picked = ""
    counties = board.counties_of(request.user, picked)
    tasks = board.todo(request, counties)
    return {
        "tasks": tasks,
        "provinces": provinces,
        "picked": picked,
        "table": board.county_table(tasks, counties),
        "charts": board.charts(request.user, timezone.localdate()),
    }
