"""Idempotency-Key: a repeated POST with the same key and body gets the first answer again."""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ApiClient, IdempotencyRecord

KEEP_FOR = datetime.timedelta(hours=48)  # the contract promises at least 24 hours


class IdempotencyConflict(Exception):
    """The key was used before with another body."""


class IdempotencyInProgress(Exception):
    """The first request with this key has not finished yet."""


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, ensure_ascii=False).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


def idempotency_begin(*, client: ApiClient, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Claim the key. Returns the stored record when the key was answered before (replay it), None
    when this request is the first and must be processed. Call inside the request's transaction:
    a concurrent request with the same key waits on the unique index until the first commits."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(client=client, key=key, request_hash=fingerprint)
        return None
    except IntegrityError:
        record = IdempotencyRecord.objects.get(client=client, key=key)
        if record.request_hash != fingerprint:
            raise IdempotencyConflict from None
        if record.response_status is None:
            raise IdempotencyInProgress from None
        return record


def idempotency_complete(*, client: ApiClient, key: str, status: int, body) -> None:
    IdempotencyRecord.objects.filter(client=client, key=key).update(
        response_status=status, response_body=body
    )


def idempotency_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget keys older than KEEP_FOR. Returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
