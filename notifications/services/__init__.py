from .inbox import Row, mark_all_read, mark_read, notify, notify_rows, settle
from .webhooks import deliver, publish, retry_now, sign

__all__ = [
    "Row",
    "deliver",
    "mark_all_read",
    "mark_read",
    "notify",
    "notify_rows",
    "publish",
    "retry_now",
    "settle",
    "sign",
]
