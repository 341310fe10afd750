"""Supervision's figures in the monthly report (inspections done, rectifications open and overdue,
complaints received and closed). Supervision (`inspections`) comes after filing in the dependency order,
so it installs its counting function here when it loads; without it the report has none."""

from collections.abc import Callable

_counter: Callable | None = None


def install(counter: Callable) -> None:
    """`counter(county_codes, first_day, day_after)` → {county: {figure: count}} (see SUPERVISION)."""
    global _counter
    _counter = counter


def counts(codes, first, after) -> dict[str, dict[str, int]]:
    return _counter(codes, first, after) if _counter is not None else {}
