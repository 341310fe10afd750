"""The outbox and its relay: events are written with the change that causes them and delivered to
each subscription, signed per Standard Webhooks, until the endpoint takes them."""

import base64
import datetime
import email.utils
import hashlib
import hmac
import json
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Delivery, DeliveryAttempt, OutboxEvent, WebhookSubscription
from . import egress

LEASE = datetime.timedelta(minutes=2)
MAX_RETRY_AFTER = 7 * 24 * 3600.0


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


@dataclass(frozen=True)
class Event:
    event_type: str
    key: str
    payload: dict
    region_code: str = ""


def publish(events: Iterable[Event], subscriptions: Iterable[WebhookSubscription]) -> int:
    """Write events and one delivery per interested subscription, in the caller's transaction.

    An event whose key exists is not written again; a delivery that exists is kept as it is, except
    one that ran out of retries, which is tried afresh. So a job run twice delivers nothing twice,
    and a rerun re-delivers only what never arrived. Returns the number of deliveries now due."""
    events = list(events)
    subscriptions = list(subscriptions)
    if not events:
        return 0
    OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(event_type=e.event_type, key=e.key, payload=e.payload, region_code=e.region_code)
            for e in events
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    stored = dict(OutboxEvent.objects.filter(key__in=[e.key for e in events]).values_list("key", "pk"))
    now = timezone.now()
    wanted = [
        Delivery(event_id=stored[e.key], subscription_id=s.pk, next_attempt_at=now)
        for e in events
        for s in subscriptions
        if s.wants(e.event_type) and covers(s, e.region_code)
    ]
    Delivery.objects.bulk_create(wanted, batch_size=1000, ignore_conflicts=True)
    Delivery.objects.filter(
        event_id__in=stored.values(), status=Delivery.Status.FAILED, subscription__active=True
    ).update(status=Delivery.Status.PENDING, next_attempt_at=now, attempts=0)
    _relay_on_commit()
    return len(wanted)


def covers(subscription: WebhookSubscription, region_code: str) -> bool:
    """A subscription hears its authority's region and below: GB/T 2260 codes nest by pairs of
    digits (440000 holds 4418xx, which holds 441802)."""
    prefix = subscription.authority.region_id
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return region_code.startswith(prefix)


def _relay_on_commit() -> None:
    from ..tasks import relay

    transaction.on_commit(relay.delay)


def due_deliveries():
    now = timezone.now()
    return Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retry_in: float | None = None  # seconds until the next attempt, when there is one


def deliver(delivery_id: int) -> Outcome | None:
    """Try one delivery once. Only the worker holding the lease sends, so two relays never post the
    same delivery at the same moment; None means someone else holds it or it is not due."""
    now = timezone.now()
    claimed = due_deliveries().filter(pk=delivery_id).update(leased_until=now + LEASE)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("event", "subscription").get(pk=delivery_id)
    subscription, event = delivery.subscription, delivery.event
    if not subscription.active:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.CANCELLED, leased_until=None)
        return Outcome(False)
    body = json.dumps(
        {"type": event.event_type, "timestamp": event.created_at.isoformat(), "data": event.payload},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    result = _post(subscription, event.message_id, body)
    number = delivery.attempts + 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        status_code=result.status,
        error=result.error[:300],
        response=result.text,
        duration_ms=result.duration_ms,
    )
    return _record(delivery, number, result)


def _post(subscription: WebhookSubscription, message_id: str, body: bytes) -> egress.Answer:
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": "childcare-platform-webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(subscription.secret, message_id, timestamp, body),
    }
    return egress.post(subscription.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT)


def _retry_after(value: str | None) -> float | None:
    """Seconds a receiver asks us to wait, at most a week; None for anything unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
        if timezone.is_naive(when):  # "-0000" means UTC with no zone information
            when = when.replace(tzinfo=datetime.UTC)
        return min(max(0.0, (when - timezone.now()).total_seconds()), MAX_RETRY_AFTER)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


def _record(delivery: Delivery, number: int, result: egress.Answer) -> Outcome:
    now = timezone.now()
    update = {"attempts": number, "leased_until": None, "last_error": _describe(result)}
    if result.status is not None and 200 <= result.status < 300:
        update.update(status=Delivery.Status.DELIVERED, delivered_at=now, last_error="")
        Delivery.objects.filter(pk=delivery.pk).update(**update)
        return Outcome(True)
    if result.status == 410:  # Gone: the receiver asks us to stop for good
        with transaction.atomic():
            WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(
                active=False, disabled_at=now, disabled_reason="410 Gone"
            )
            Delivery.objects.filter(
                subscription_id=delivery.subscription_id, status=Delivery.Status.PENDING
            ).update(status=Delivery.Status.CANCELLED, leased_until=None)
            Delivery.objects.filter(pk=delivery.pk).update(**update, status=Delivery.Status.CANCELLED)
        return Outcome(False)
    delays = settings.WEBHOOK_RETRY_DELAYS
    if number > len(delays):
        Delivery.objects.filter(pk=delivery.pk).update(**update, status=Delivery.Status.FAILED)
        return Outcome(False)
    delay = delays[number - 1] * random.uniform(0.8, 1.2)
    retry_after = _retry_after(result.retry_after)
    if retry_after is not None:
        delay = max(delay, retry_after)
    Delivery.objects.filter(pk=delivery.pk).update(
        **update, next_attempt_at=now + datetime.timedelta(seconds=delay)
    )
    return Outcome(False, retry_in=delay)


def _describe(result: egress.Answer) -> str:
    if result.status is None:
        return result.error[:300]
    return f"HTTP {result.status} {result.error}".strip()[:300]


def retry_now(deliveries) -> int:
    """The admin's "retry now": due at once, retries counted afresh if they had run out."""
    count = (
        deliveries.exclude(status=Delivery.Status.DELIVERED)
        .filter(subscription__active=True)
        .update(status=Delivery.Status.PENDING, next_attempt_at=timezone.now(), leased_until=None)
    )
    if count:
        _relay_on_commit()
    return count


def subscriptions_rotate_secret(subscriptions) -> int:
    """A new signing secret for each; receivers must switch to it, or verification fails from now on."""
    from ..models.webhooks import new_secret

    count = 0
    for subscription in subscriptions:
        subscription.secret = new_secret()
        subscription.save(update_fields=["secret"])
        count += 1
    return count


def subscriptions_reactivate(subscriptions) -> int:
    """Switch back on subscriptions that were disabled (by a 410 or by hand); new events reach them again."""
    return subscriptions.filter(active=False).update(active=True, disabled_at=None, disabled_reason="")
