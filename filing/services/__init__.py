"""Writes for filing. Callers import from here."""

from .errors import FilingError, TransitionNotAllowed
from .filings import (
    TRANSITIONS,
    filing_accept,
    filing_refuse,
    filing_return,
    filing_save_draft,
    filing_start,
    filing_submit,
    submission_problems,
)
from .lifecycle import (
    annual_report_return,
    annual_report_submit,
    termination_confirm,
    termination_submit,
    terminations_take_effect,
)
from .materials import check_upload, material_add, material_remove
from .operators import (
    invitation_accept,
    invitation_create,
    invitation_from_token,
    operator_remove,
    signup_approve,
    signup_confirm,
    signup_create,
    signup_reject,
)

__all__ = [
    "TRANSITIONS",
    "FilingError",
    "TransitionNotAllowed",
    "annual_report_return",
    "annual_report_submit",
    "check_upload",
    "filing_accept",
    "filing_refuse",
    "filing_return",
    "filing_save_draft",
    "filing_start",
    "filing_submit",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "material_add",
    "material_remove",
    "operator_remove",
    "signup_approve",
    "signup_confirm",
    "signup_create",
    "signup_reject",
    "submission_problems",
    "termination_confirm",
    "termination_submit",
    "terminations_take_effect",
]
