"""Writes for the staff register. Callers import from here."""

from .bans import ban_record
from .imports import ImportReport, roster_import
from .people import WorkforceError, employment_end, employment_reopen, hire, person_document
from .records import (
    certificate_add,
    health_check_add,
    no_criminal_record_add,
    record_remove,
    require_employer,
    training_add,
)

__all__ = [
    "ImportReport",
    "WorkforceError",
    "ban_record",
    "certificate_add",
    "employment_end",
    "employment_reopen",
    "health_check_add",
    "hire",
    "no_criminal_record_add",
    "person_document",
    "record_remove",
    "require_employer",
    "roster_import",
    "training_add",
]
