"""Celery tasks of the joint conference: thin wrappers around `conference.services`, safe to run twice.
They are scheduled in settings.PERIODIC_TASKS ("conference-escalate" daily, "conference-bulletins" on the
first of each month)."""

import datetime

from celery import shared_task

from . import services


@shared_task(name="conference.escalate_tasks", ignore_result=True, soft_time_limit=20 * 60)
def escalate_tasks(today: str = "") -> dict:
    """The daily ladder: each task's rung fires once; a year without plenary meetings warns the office."""
    day = datetime.date.fromisoformat(today) if today else None
    fired = services.tasks_escalate(today=day)
    fired["plenary_warnings"] = services.plenary_check(today=day)
    return fired


@shared_task(name="conference.issue_monthly_bulletins", ignore_result=True, soft_time_limit=20 * 60)
def issue_monthly_bulletins() -> int:
    """The month's bulletin for every conference, once per month."""
    return services.bulletins_issue_monthly()
