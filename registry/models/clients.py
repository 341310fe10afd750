import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scope import Scope

TOKEN_PREFIX = "cc_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClient(models.Model):
    """A registration body's system calling the API. It acts as a service user of its authority, so
    scoping and history attribute its pushes like anyone else's. Only a hash of the token is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service user"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    name = models.CharField(_("name"), max_length=128)
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("token begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_used_at", "key_hash"])
    scope = Scope(region="user__authority__region")

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}（{self.key_hint}…）"

    @staticmethod
    def new_token() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def authority(self):
        return self.user.authority

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an Idempotency-Key, replayed to repeats of that key."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_per_client")]

    def __str__(self):
        return self.key
