"""The workbench on the admin home: what needs doing, each a count that links to the admin list it counts.
The count is taken by that list itself (the person's scope, the list's filters), so the number on the
home page and the rows behind its link always agree. Apps register their tasks when they load."""

import copy
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.db.models import Count
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


def _county_filter(model_admin, request) -> bool:
    return any(
        getattr(f, "parameter_name", None) == "county"
        for f in model_admin.get_list_filter(request)
        if not isinstance(f, str)
    )


def todo(request, counties=None) -> list[dict]:
    """The registered tasks the person may see, with their counts (capped as the lists cap them); for a
    person who sees several counties, each task's count per county (one grouped query) where its list
    filters by county."""
    found = []
    for task in _tasks:
        app_label, model_name = task.model.split(".")
        model_admin = admin.site._registry.get(apps.get_model(app_label, model_name))
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        query = urlencode(task.params)
        listing = copy.copy(request)
        listing.GET = QueryDict(query)
        changelist = model_admin.get_changelist_instance(listing)
        count = changelist.result_count
        url = reverse(f"admin:{app_label}_{model_name}_changelist") + (f"?{query}" if query else "")
        cap = getattr(changelist.paginator, "CAP", None)
        by_county = None
        if counties and len(counties) > 1 and _county_filter(model_admin, listing):
            path = model_admin.model.scope.region
            grouped = changelist.queryset.order_by().values(path).annotate(n=Count("pk"))
            by_county = {row[path]: row["n"] for row in grouped}
        found.append(
            {
                "label": task.label,
                "count": min(count, cap) if cap else count,
                "capped": bool(cap and count > cap),
                "url": url,
                "urgent": task.urgent and count > 0,
                "by_county": by_county,
                "county_url": url + ("&" if query else "?") + "county=",
            }
        )
    return found


def counties_of(user, within: str = "") -> list:
    """The county-level regions whose counts a person sees side by side: those of their jurisdiction, or for
    a platform administrator (too many counties at once) those of the province or city they pick."""
    from .models import Region
    from .selectors import jurisdiction_codes

    if user.is_superuser:
        if not within:
            return []
        return list(Region.objects.subtree(within).filter(county_level=True).order_by("pk"))
    return list(Region.objects.filter(pk__in=jurisdiction_codes(user), county_level=True).order_by("pk"))


def provinces_for(user) -> list:
    """The provinces a platform administrator may pick for the per-county table (nobody else picks)."""
    from .models import Region

    if not user.is_superuser:
        return []
    return list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("pk"))


# Above this many counties, those with nothing to do are left out of the table (and counted).
QUIET_AFTER = 20


def county_table(tasks: list[dict], counties: list) -> dict | None:
    """Rows of counties, columns of the tasks that count per county; None for a person of one county. A
    province's table lists only the counties with something to do."""
    columns = [t for t in tasks if t["by_county"] is not None]
    if len(counties) < 2 or not columns:
        return None
    rows = [
        (county, [(t["by_county"].get(county.pk, 0), f"{t['county_url']}{county.pk}") for t in columns])
        for county in counties
    ]
    quiet = 0
    if len(counties) > QUIET_AFTER:
        busy = [row for row in rows if any(n for n, _url in row[1])]
        quiet, rows = len(rows) - len(busy), busy
        if not rows:
            return None
    return {"columns": columns, "rows": rows, "quiet": quiet}


@dataclass(frozen=True)
class Series:
    """A monthly figure on the workbench: `count(user, since)` → {"YYYY-MM": number} over what the person
    sees, one grouped query. A rate's `count` gives {"YYYY-MM": (part, whole)} and is drawn in per cent."""

    label: str
    count: object  # Callable[[User, date], dict[str, int | tuple[int, int]]]
    rate: bool = False


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
    """Each registered series over the last 12 months, with the bar heights of a small SVG chart. A rate's
    bar is its per cent of the month (none in a month with nothing to measure), its total the whole year's."""
    labels = months(today)
    since = today.replace(day=1, year=int(labels[0][:4]), month=int(labels[0][5:]))
    drawn = []
    for series in _series:
        values = series.count(user, since)
        if series.rate:
            parts = [values.get(m, (0, 0)) for m in labels]
            numbers = [round(100 * part / whole) if whole else None for part, whole in parts]
            whole = sum(w for _p, w in parts)
            total = round(100 * sum(p for p, _w in parts) / whole) if whole else None
            top = 100
        else:
            numbers = [values.get(m, 0) for m in labels]
            total = sum(numbers)
            top = max(numbers) or 1
        drawn.append(
            {
                "label": series.label,
                "rate": series.rate,
                "bars": [
                    {
                        "month": m,
                        "value": v,
                        "text": ("" if v is None else str(v)) if series.rate else (str(v) if v else ""),
                        "height": round(76 * (v or 0) / top),
                        "y": 90 - round(76 * (v or 0) / top),
                        "x": 8 + i * 24,
                    }
                    for i, (m, v) in enumerate(zip(labels, numbers, strict=True))
                ],
                "total": total,
            }
        )
    return drawn
