"""The workbench on the admin home: what needs doing, each a count that links to the admin list it counts.
The count is taken by that list itself (the person's scope, the list's filters), so the number on the
home page and the rows behind its link always agree. Apps register their tasks when they load."""

import copy
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import admin
from django.http import QueryDict
from django.urls import reverse


@dataclass(frozen=True)
class Task:
    label: str
    model: str  # "app_label.model_name"
    params: dict = field(default_factory=dict)
    urgent: bool = False


_tasks: list[Task] = []


def register(*tasks: Task) -> None:
    for task in tasks:
        if task not in _tasks:
            _tasks.append(task)


def todo(request) -> list[dict]:
    """The registered tasks the person may see, with their counts (capped as the lists cap them)."""
    found = []
    for task in _tasks:
        app_label, model_name = task.model.split(".")
        model_admin = next(
            (
                a
                for m, a in admin.site._registry.items()
                if m._meta.app_label == app_label and m._meta.model_name == model_name
            ),
            None,
        )
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        query = urlencode(task.params)
        listing = copy.copy(request)
        listing.GET = QueryDict(query)
        changelist = model_admin.get_changelist_instance(listing)
        count = changelist.result_count
        url = reverse(f"admin:{app_label}_{model_name}_changelist") + (f"?{query}" if query else "")
        cap = getattr(changelist.paginator, "CAP", None)
        found.append(
            {
                "label": task.label,
                "count": min(count, cap) if cap else count,
                "capped": bool(cap and count > cap),
                "url": url,
                "urgent": task.urgent and count > 0,
            }
        )
    return found


@dataclass(frozen=True)
class Series:
    """A monthly figure on the workbench: `count(user, since)` → {"YYYY-MM": number} over what the person
    sees, one grouped query."""

    label: str
    count: object  # Callable[[User, date], dict[str, int]]


_series: list[Series] = []


def register_series(*series: Series) -> None:
    for one in series:
        if one not in _series:
            _series.append(one)


def months(today, n: int = 12) -> list[str]:
    """The last `n` months, oldest first, as YYYY-MM."""
    year, month = today.year, today.month
    found = []
    for _ in range(n):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def charts(user, today) -> list[dict]:
    """Each registered series over the last 12 months, with the bar heights of a small SVG chart."""
    labels = months(today)
    since = today.replace(day=1, year=int(labels[0][:4]), month=int(labels[0][5:]))
    drawn = []
    for series in _series:
        values = series.count(user, since)
        numbers = [values.get(m, 0) for m in labels]
        top = max(numbers) or 1
        drawn.append(
            {
                "label": series.label,
                "bars": [
                    {
                        "month": m,
                        "value": v,
                        "height": round(76 * v / top),
                        "y": 90 - round(76 * v / top),
                        "x": 8 + i * 24,
                    }
                    for i, (m, v) in enumerate(zip(labels, numbers, strict=True))
                ],
                "total": sum(numbers),
            }
        )
    return drawn
