"""What later apps add to an institution's public directory entry (its published quality grade, its latest
inspection result). Supervision comes after filing in the dependency order, so it installs its function
here when it loads; without it those facts stay empty."""

from collections.abc import Callable

_sources: list[Callable] = []


def install(source: Callable) -> None:
    """`source(institution_ids)` → {institution id: {entry field: value}} for the ids it knows of."""
    if source not in _sources:
        _sources.append(source)


def facts(institution_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for source in _sources:
        for institution_id, values in source(institution_ids).items():
            found.setdefault(institution_id, {}).update(values)
    return found
