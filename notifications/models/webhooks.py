import base64
import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope


class EventType(models.TextChoices):
    MONTHLY_REPORT = "monthly_push.report", _("Monthly push: a county's registrations, filings and changes")
    MONTHLY_DIRECTORY = "monthly_push.directory", _("Monthly push: the directory of filed sites")
    MONTHLY_ROLLUP = "monthly_push.rollup", _("Monthly push: the roll-up of a city or province")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookSubscription(models.Model):
    """A department's endpoint for platform events, e.g. fire rescue receiving each month's directory
    of filed sites. It hears events of its authority's region and everything below it."""

    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("authority"), on_delete=models.PROTECT, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Standard Webhooks secret (whsec_…); the receiver checks each signature with it."),
    )
    event_types = models.JSONField(_("event types"), default=list)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    scope = Scope(region="authority__region")

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["authority__name", "url"]

    def __str__(self):
        return f"{self.authority} → {self.url}"

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.event_types


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change that causes it. `key` makes publishing
    idempotent: a job run twice finds its event already there."""

    message_id = models.CharField(_("webhook-id"), max_length=40, unique=True, default=new_message_id)
    event_type = models.CharField(_("event type"), max_length=64, choices=EventType.choices)
    key = models.CharField(_("key"), max_length=200, unique=True)
    region_code = models.CharField(_("region"), max_length=12, blank=True, db_index=True)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = Scope(region="region_code")

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.key


class Delivery(models.Model):
    """One event to one subscription, retried until the endpoint answers 2xx or the schedule runs out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (retries exhausted)")
        CANCELLED = "cancelled", _("Cancelled (subscription disabled)")

    event = models.ForeignKey(
        OutboxEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = Scope(region="subscription__authority__region")

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="delivery_once_per_subscription")
        ]

    def __str__(self):
        return f"{self.event.key} → {self.subscription.url}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    response = models.CharField(_("response"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"#{self.number} {self.status_code or self.error}"
