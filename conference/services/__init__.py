"""Writes for the joint conference: roles over time, tasks and their transitions, progress reports, the
plan import, escalation, the plenary-meeting warning and bulletins. Every rule lives here; the admin, the
demo and the Celery tasks only call these functions. Callers import from here."""

from .bulletins import bulletin_compose, bulletin_issue, bulletins_issue_monthly
from .common import ConferenceError, TransitionNotAllowed
from .escalation import RUNG_ORDER, plenary_check, rung_for, rung_recipients, task_escalate, tasks_escalate
from .plans import (
    MAX_PLAN_ROWS,
    PLAN_COLUMNS,
    ImportReport,
    PlanRow,
    ResolvedUnits,
    RowError,
    as_date,
    is_locality,
    plan_check,
    plan_import,
    resolve_units,
    split_names,
    unit_index,
)
from .roles import role_assign, role_end
from .tasks import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    decided_item_to_task,
    task_cancel,
    task_confirm,
    task_create,
    task_mark_done,
    task_reopen,
    task_report_progress,
    title_of,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "MAX_PLAN_ROWS",
    "PLAN_COLUMNS",
    "RUNG_ORDER",
    "ConferenceError",
    "ImportReport",
    "PlanRow",
    "ResolvedUnits",
    "RowError",
    "TransitionNotAllowed",
    "as_date",
    "bulletin_compose",
    "bulletin_issue",
    "bulletins_issue_monthly",
    "decided_item_to_task",
    "is_locality",
    "plan_check",
    "plan_import",
    "plenary_check",
    "resolve_units",
    "role_assign",
    "role_end",
    "rung_for",
    "rung_recipients",
    "split_names",
    "task_cancel",
    "task_confirm",
    "task_create",
    "task_escalate",
    "task_mark_done",
    "task_reopen",
    "task_report_progress",
    "tasks_escalate",
    "title_of",
    "unit_index",
]
