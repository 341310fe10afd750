"""Reads for the inbox and the webhook subscriptions."""

from django.db.models import QuerySet

from .models import Notification, WebhookSubscription


def inbox(user) -> QuerySet[Notification]:
    """A person's own notifications: an inbox is personal, whatever the person's jurisdiction."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    return inbox(user).filter(read_at=None).count()


def subscriptions_for(event_types: set[str]) -> list[WebhookSubscription]:
    """Active subscriptions to any of the event types, with their authority's region loaded."""
    candidates = WebhookSubscription.objects.filter(active=True).select_related("authority")
    return [s for s in candidates if event_types & set(s.event_types)]
