from django import template
from django.utils import timezone

from .. import workbench as board

register = template.Library()


@register.inclusion_tag("admin/workbench.html", takes_context=True)
def workbench(context):
    request = context["request"]
    return {"tasks": board.todo(request), "charts": board.charts(request.user, timezone.localdate())}
