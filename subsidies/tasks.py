from celery import shared_task
from django.utils import timezone

from . import indicators


@shared_task(
    name="subsidies.tasks.indicators_snapshot",
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=28 * 60,
)
def indicators_snapshot() -> int:
    """Nightly: this year's supply indicators of every region, kept so that the trend over years stays as
    measured (the last run of a year is that year's record)."""
    today = timezone.localdate()
    return indicators.snapshot_all(today.year, today)
