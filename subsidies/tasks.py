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


@shared_task(
    name="subsidies.tasks.fees_refresh_region",
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=28 * 60,
)
def fees_refresh_region(region_code: str) -> int:
    """After a guided fee standard changes: the fee rows of every institution in the region and below, a
    chunk at a time (idempotent: a row already right is left alone)."""
    from registry.models import Institution, Region

    from .services.fees import fees_refresh

    ids = Institution.objects.filter(region__in=Region.objects.subtree(region_code).values("pk")).order_by(
        "pk"
    )
    written, chunk = 0, []
    for pk in ids.values_list("pk", flat=True).iterator(1000):
        chunk.append(pk)
        if len(chunk) == 1000:
            written += fees_refresh(chunk)
            chunk = []
    if chunk:
        written += fees_refresh(chunk)
    return written
