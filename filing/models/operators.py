from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import InstitutionRegion, QueueOrder, Scope


class OperatorSignup(QueueOrder, InstitutionRegion, models.Model):
    """A person who signed up to act for an institution, matched to its pushed registration."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail not confirmed")
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signups")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )
    # Awaiting approval first, then awaiting e-mail confirmation, then decided (QueueOrder).
    queue_priority = models.PositiveSmallIntegerField(_("queue order"), default=1, editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("operator sign-up")
        verbose_name_plural = _("operator sign-ups")
        ordering = ["-created_at"]
        # The admin list's order (the admin adds -pk to it), served by an index.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="operator_signup_recent"),
            models.Index(
                fields=["region", "queue_priority", "-created_at", "-id"], name="operator_signup_queue"
            ),
        ]

    QUEUE_PRIORITY = {"pending": 0, "unconfirmed": 1}

    def __str__(self):
        return f"{self.user} → {self.institution}"


class OperatorInvitation(models.Model):
    """The bureau invites a person by e-mail to act for an institution."""

    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    scope = Scope(region="institution__region", institution="institution")

    class Meta:
        verbose_name = _("operator invitation")
        verbose_name_plural = _("operator invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.institution}"
