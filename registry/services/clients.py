"""API clients: registration bodies' systems and their tokens."""

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import ApiClient, Authority, User, hash_token

# last_used_at is written at most this often per client, so every request is not also a write.
TOUCH_INTERVAL = datetime.timedelta(minutes=1)


@transaction.atomic
def api_client_create(
    *, authority: Authority, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiClient, str]:
    """Create a client acting as the authority's service user. Returns the client and its token,
    which is shown this once and stored only as a hash."""
    user, created = User.objects.get_or_create(
        username=f"api-{authority.kind}-{authority.region_id}",
        defaults={"authority": authority, "first_name": authority.name, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    token = ApiClient.new_token()
    client = ApiClient.objects.create(
        user=user, name=name, key_hash=hash_token(token), key_hint=token[:8], expires_at=expires_at
    )
    return client, token


def api_client_revoke(*, client: ApiClient) -> None:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])


def api_client_touch(*, client: ApiClient) -> None:
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > TOUCH_INTERVAL:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
