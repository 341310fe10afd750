from django import template
from django.utils import timezone

from .. import workbench as board

register = template.Library()


@register.inclusion_tag("admin/workbench.html", takes_context=True)
def workbench(context):
    request = context["request"]
    counties = board.counties_of(request.user)
    tasks = board.todo(request, counties)
    return {
        "tasks": tasks,
        "table": board.county_table(tasks, counties),
        "charts": board.charts(request.user, timezone.localdate()),
    }
