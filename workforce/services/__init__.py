"""Writes for the staff register. Callers import from here."""

from .bans import ban_record
from .people import (
    WorkforceError,
    employment_end,
    hire,
    person_document,
)

__all__ = ["WorkforceError", "ban_record", "employment_end", "hire", "person_document"]
