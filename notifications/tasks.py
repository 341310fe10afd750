"""Thin Celery wrappers: the relay that drains the outbox, one delivery, and notification e-mails."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.utils import timezone

from . import services
from .models import Notification

RELAY_CHUNK = 500


@shared_task(
    name="notifications.tasks.relay",
    ignore_result=True,
    time_limit=300,
    soft_time_limit=280,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
)
def relay() -> int:
    """Hand every due delivery to a worker. Runs every minute and after each commit that publishes,
    so an event written just before a crash is sent on the next run; a lease stops double sends."""
    ids = list(
        services.webhooks.due_deliveries()
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:RELAY_CHUNK]
    )
    for pk in ids:
        deliver.delay(pk)
    return len(ids)


@shared_task(
    name="notifications.tasks.deliver",
    bind=True,
    ignore_result=True,
    time_limit=120,
    soft_time_limit=100,
)
def deliver(self, delivery_id: int) -> None:
    outcome = services.deliver(delivery_id)
    if self.app.conf.task_always_eager:
        return  # in-process: a retry waits for the relay instead of recursing at once
    if outcome and outcome.retry_in is not None and outcome.retry_in <= settings.WEBHOOK_MAX_COUNTDOWN:
        # Short waits are scheduled here; longer ones are found by the relay from next_attempt_at.
        deliver.apply_async((delivery_id,), countdown=outcome.retry_in)


@shared_task(
    name="notifications.tasks.send_emails",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
    time_limit=300,
    soft_time_limit=280,
)
def send_emails(notification_ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related(
        "recipient"
    ):
        if not notification.recipient.email:
            continue
        # Claim before sending so a second run of this task skips what the first already sent.
        if not Notification.objects.filter(pk=notification.pk, emailed_at=None).update(
            emailed_at=timezone.now()
        ):
            continue
        try:
            send_mail(
                notification.title,
                services.inbox.email_text(notification),
                None,
                [notification.recipient.email],
            )
        except OSError:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent
