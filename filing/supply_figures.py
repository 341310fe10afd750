"""The supply indicators in each county's monthly report (slots per 1,000 children, inclusive share, …,
each against its target). They are computed by the subsidies app, which comes after filing in the
dependency order and installs its function here when it loads; without it the report has none."""

from collections.abc import Callable

_source: Callable | None = None


def install(source: Callable) -> None:
    """`source(county_codes, day)` → {county: [{"label", "value", "target", "met"}]} (text values)."""
    global _source
    _source = source


def figures(codes, day) -> dict[str, list[dict]]:
    return _source(codes, day) if _source is not None else {}
