"""Writes to people's inboxes. Notifications are created inside the caller's transaction; their
e-mails leave only after it commits."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ..models import Notification


@dataclass(frozen=True)
class Row:
    recipient_id: int
    title: str
    body: str = ""
    url: str = ""
    key: str = ""
    subject_type_id: int | None = None
    subject_id: str = ""


def notify(
    users: Iterable,
    *,
    title: str,
    body: str = "",
    subject=None,
    url: str = "",
    key: str = "",
    email: bool = True,
) -> int:
    """Put a message in each person's inbox (and e-mail it). With a `key`, nobody gets it twice."""
    subject_type_id = ContentType.objects.get_for_model(subject).pk if subject is not None else None
    subject_id = str(subject.pk) if subject is not None else ""
    rows = [Row(user.pk, str(title), str(body), url, key, subject_type_id, subject_id) for user in users]
    return notify_rows(rows, email=email)


def notify_rows(rows: Iterable[Row], *, email: bool = True) -> int:
    """Bulk form of `notify` for jobs that address many people at once; returns how many were new."""
    keyed = list({(row.recipient_id, row.key): row for row in rows if row.key}.values())
    unkeyed = [row for row in rows if not row.key]
    ids = [n.pk for n in Notification.objects.bulk_create([Notification(**asdict(r)) for r in unkeyed])]
    if keyed:
        pairs = {(row.recipient_id, row.key) for row in keyed}
        before = _existing(pairs)
        Notification.objects.bulk_create(
            [Notification(**asdict(row)) for row in keyed if (row.recipient_id, row.key) not in before],
            batch_size=1000,
            ignore_conflicts=True,  # a concurrent run may have written the same key meanwhile
        )
        ids += [pk for pair, pk in _existing(pairs).items() if pair not in before]
    if email and ids:
        from ..tasks import send_emails

        transaction.on_commit(lambda: send_emails.delay(ids))
    return len(ids)


def _existing(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    rows = Notification.objects.filter(
        key__in={key for _, key in pairs}, recipient_id__in={user for user, _ in pairs}
    ).values_list("recipient_id", "key", "pk")
    return {(user, key): pk for user, key, pk in rows if (user, key) in pairs}


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=notification.read_at)


def settle(subject, *, key_prefix: str = "") -> int:
    """Mark read every unread notice about `subject` (those whose key starts with `key_prefix`): the
    action they asked for has been taken, so they no longer wait in anyone's inbox."""
    notices = Notification.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk), read_at=None
    )
    if key_prefix:
        notices = notices.filter(key__startswith=key_prefix)
    return notices.update(read_at=timezone.now())


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


def email_text(notification: Notification) -> str:
    parts = [notification.body]
    if notification.url:
        parts.append(settings.PLATFORM_URL.rstrip("/") + notification.url)
    return "\n\n".join(part for part in parts if part)
