"""Supervision's daily job: overdue rectifications climb their ladder. Safe to run twice (each rung fires
once per deadline)."""

import datetime

from celery import shared_task

from filing.tasks import RETRY

from .services import escalate_rectifications as escalate_rectifications_service


@shared_task(
    name="inspections.tasks.escalate_rectifications",
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=28 * 60,
    **RETRY,
)
def escalate_rectifications(today: str = "") -> dict:
    return escalate_rectifications_service(today=datetime.date.fromisoformat(today) if today else None)
