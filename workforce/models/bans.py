import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .people import DocumentType


def ban_upload_to(instance, filename: str) -> str:
    return f"bans/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class Ban(models.Model):
    """从业禁止 / 终身禁入: a person may not work in childcare, for life or until a day. Recorded by the
    county bureau or public security against a document (the person need not be in the register); seen
    by authorities only."""

    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    document_digest = models.CharField(_("document digest"), max_length=64, db_index=True, editable=False)
    document_sealed = models.TextField(_("document number (encrypted)"), editable=False)
    document_masked = models.CharField(_("document number"), max_length=24, editable=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    reason = models.TextField(_("reason"))
    decided_by_body = models.CharField(_("deciding body"), max_length=128)
    decided_on = models.DateField(_("decided on"))
    lifetime = models.BooleanField(_("for life"), default=False)
    until = models.DateField(_("until"), null=True, blank=True)
    scan = models.FileField(_("decision (scan)"), upload_to=ban_upload_to, max_length=255, blank=True)
    scan_name = models.CharField(_("file name"), max_length=255, blank=True)
    scan_type = models.CharField(_("type"), max_length=100, blank=True)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("recorded in"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["document_sealed"])
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.name}（{self.document_masked}）"
