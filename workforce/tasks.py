"""The staff register's daily job: lapsing health checks and certificates climb their ladders. Safe to run
twice (each rung fires once per lapse)."""

import datetime

from celery import shared_task

from filing.tasks import RETRY

from .services.lapsing import escalate_lapsing as escalate_lapsing_service


@shared_task(
    name="workforce.tasks.escalate_lapsing",
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=28 * 60,
    **RETRY,
)
def escalate_lapsing(today: str = "") -> dict:
    return escalate_lapsing_service(today=datetime.date.fromisoformat(today) if today else None)
