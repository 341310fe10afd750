"""Inclusive recognition (普惠认定) and demonstration recognition (示范): the county health bureau's
recognition, for a period, that an institution is inclusive (its fees within the price cap and, for a
non-profit, the guided standard) or a demonstration institution. What the public directory, the supply
indicators and the subsidy rules read; the operator's own tick on the filing counts for nothing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope


class Recognition(models.Model):
    class Kind(models.TextChoices):
        INCLUSIVE = "inclusive", _("Inclusive (普惠)")
        DEMONSTRATION = "demonstration", _("Demonstration (示范)")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Awaiting decision")
        RECOGNISED = "recognised", _("Recognised")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INCLUSIVE)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    monthly_fees = models.JSONField(
        _("monthly fees"), default=dict, blank=True, help_text=_("Yuan per month, by service type.")
    )
    slots = models.PositiveIntegerField(_("slots"), default=0)
    inclusive_slots = models.PositiveIntegerField(_("inclusive slots"), default=0)
    undertaking = models.TextField(_("undertaking"), blank=True)
    # The checks as the platform evaluated them when the application was made and again at the decision:
    # [{"name", "label", "result": "pass"|"fail"|"unknown", "detail"}].
    checks = models.JSONField(_("checks"), default=list, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    # Set when a recognised institution's fees change (a change filing, an annual report): the bureau
    # checks them again and confirms or revokes the recognition.
    recheck_since = models.DateField(_("fees to recheck since"), null=True, blank=True, db_index=True)
    recheck_note = models.TextField(_("what changed"), blank=True)

    history = HistoricalRecords()
    scope = Scope(region="institution__region", institution="institution")

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("inclusive and demonstration recognitions")
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["-applied_at", "-id"], name="recognition_recent")]
        constraints = [
            # One application awaiting a decision per institution and kind.
            models.UniqueConstraint(
                fields=["institution", "kind"],
                condition=Q(status="applied"),
                name="recognition_one_open",
                violation_error_message=_("An application of this kind already awaits a decision."),
            )
        ]

    def __str__(self):
        return f"{self.institution} · {self.get_kind_display()}"

    @property
    def described_checks(self) -> list[dict]:
        from ..checks import described

        return described(self.checks)

    def in_force(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (
            self.status == self.Status.RECOGNISED
            and self.valid_from is not None
            and self.valid_from <= day <= self.valid_until
        )
