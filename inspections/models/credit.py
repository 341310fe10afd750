"""Credit records (信用记录) about institutions and staff: sanctions, overdue rectifications, bans,
upheld complaints, and commendations, with a severity, a date and a validity. Seen by the authorities;
an institution's serious bad records are on its public page while valid; exported for the credit
platforms (docs/credit.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope


class CreditRecord(models.Model):
    class Subject(models.TextChoices):
        INSTITUTION = "institution", _("Institution")
        PERSON = "person", _("Staff member")

    class Kind(models.TextChoices):
        SANCTION = "sanction", _("Administrative sanction")
        RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification overdue")
        BAN = "ban", _("Ban from childcare work")
        COMPLAINT_UPHELD = "complaint_upheld", _("Complaint upheld")
        COMMENDATION = "commendation", _("Commendation")

    class Severity(models.TextChoices):
        GOOD = "good", _("Good (commendation)")
        MINOR = "minor", _("Bad")
        SERIOUS = "serious", _("Seriously bad")

    subject = models.CharField(_("about"), max_length=12, choices=Subject.choices)
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_name = models.CharField(_("person's name"), max_length=64, blank=True)
    document_masked = models.CharField(_("document number"), max_length=24, blank=True)
    document_digest = models.CharField(_("document digest"), max_length=64, blank=True, db_index=True)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("recorded in"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("description"))
    decided_by_body = models.CharField(_("deciding body"), max_length=128)
    decided_on = models.DateField(_("decided on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no end."))
    # Where an automatic record came from; each source is recorded once.
    ban = models.OneToOneField(
        "workforce.Ban", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    rectification = models.OneToOneField(
        "inspections.Rectification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    complaint = models.OneToOneField(
        "inspections.Complaint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["region", "-decided_on", "-id"], name="credit_region_recent"),
            models.Index(fields=["institution", "severity"], name="credit_institution"),
        ]

    def __str__(self):
        who = self.institution.name if self.institution_id else self.person_name
        return f"{who} · {self.get_kind_display()}"
