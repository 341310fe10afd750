"""Whether an institution has a valid passing health evaluation on record. The evaluations are recorded
in `inspections`, which comes after filing in the dependency order, so it installs its check here when it
loads; without it, nothing is on record and the uploaded report is what counts."""

from collections.abc import Callable

_checker: Callable | None = None


def install(checker: Callable) -> None:
    """`checker(institution)` → True when a passing evaluation valid today is on record."""
    global _checker
    _checker = checker


def on_record(institution) -> bool:
    return bool(_checker(institution)) if _checker is not None else False
