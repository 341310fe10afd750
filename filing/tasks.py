"""Scheduled filing jobs; each runs the same service as its management command and is safe to run twice.
A database outage retries the job with backoff; every retry finds the work already done skipped."""

import datetime

from celery import shared_task
from django.db import OperationalError

from .services import terminations_take_effect as terminations_take_effect_service
from .services.directory import directory_rebuild as directory_rebuild_service
from .services.escalation import escalate as escalate_service
from .services.monthly_push import monthly_push as monthly_push_service
from .services.monthly_push import previous_month

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 60,
    "retry_backoff_max": 1800,
    "max_retries": 5,
}


@shared_task(
    name="filing.tasks.monthly_push", ignore_result=True, time_limit=50 * 60, soft_time_limit=45 * 60, **RETRY
)
def monthly_push(month: str = "", region_code: str = "") -> dict:
    """The 1st of each month: push the previous month (or `month`, YYYY-MM)."""
    when = datetime.date.fromisoformat(f"{month}-01") if month else previous_month()
    summary = monthly_push_service(month=when, region_code=region_code)
    return {
        "counties": summary.counties,
        "notifications": summary.notifications,
        "deliveries": summary.deliveries,
    }


@shared_task(
    name="filing.tasks.escalate", ignore_result=True, time_limit=30 * 60, soft_time_limit=28 * 60, **RETRY
)
def escalate(today: str = "") -> dict:
    return escalate_service(today=datetime.date.fromisoformat(today) if today else None)


@shared_task(name="filing.tasks.terminations_take_effect", ignore_result=True, **RETRY)
def terminations_take_effect() -> int:
    """Each morning: the filings whose confirmed termination date has come end."""
    return terminations_take_effect_service()


@shared_task(
    name="filing.tasks.directory_rebuild",
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=28 * 60,
    **RETRY,
)
def directory_rebuild() -> int:
    """Nightly: every public directory row again (each change also refreshes its row as it commits)."""
    return directory_rebuild_service()
