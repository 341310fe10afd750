"""The staff counts a filing takes from the staff register. The register (`workforce`) comes after filing
in the dependency order, so it installs its counting function here when it loads; without it, or while
an institution has nobody on its register, the counts typed in the filing stand."""

from collections.abc import Callable

STAFF_FIELDS = ("staff_management", "staff_carers", "staff_health", "staff_security", "staff_cooks")

_counter: Callable | None = None


def install(counter: Callable) -> None:
    """`counter(institution)` → {staff field: count} of people employed now, or None for an empty register."""
    global _counter
    _counter = counter


def counts(institution) -> dict[str, int] | None:
    return _counter(institution) if _counter is not None else None
