from .inbox import Notification
from .webhooks import Delivery, DeliveryAttempt, EventType, OutboxEvent, WebhookSubscription

__all__ = ["Delivery", "DeliveryAttempt", "EventType", "Notification", "OutboxEvent", "WebhookSubscription"]
