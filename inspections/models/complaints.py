"""Complaints and reports from the public (举报投诉): submitted without signing in, followed with a
tracking code; the county bureau triages, routes to the responsible department with a deadline, and
replies. The complainant's identity stays with the authorities: nothing here hangs off an institution's
operators."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .checklists import Department


class Complaint(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, awaiting triage")
        ROUTED = "routed", _("Being handled")
        ANSWERED = "answered", _("Answered")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution_text = models.CharField(_("institution or address, as given"), max_length=255)
    what_happened = models.TextField(pgettext_lazy("complaint", "what happened"))
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    contact_name = models.CharField(_("complainant's name"), max_length=64, blank=True)
    contact_phone = models.CharField(_("complainant's phone"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED)
    department = models.CharField(_("handled by"), max_length=32, choices=Department.choices, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    routing_note = models.TextField(_("instructions to the department"), blank=True)
    reply = models.TextField(_("reply to the complainant"), blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["contact_name", "contact_phone"])
    # No `institution` lookup: operators never reach a complaint, whoever it is about.
    scope = Scope(region="region", department="department")

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "-submitted_at", "-id"], name="complaint_region_recent"),
            models.Index(fields=["status", "deadline"], name="complaint_due", condition=Q(status="routed")),
        ]

    def __str__(self):
        return self.tracking_code


class ComplaintPolicy(models.Model):
    """How many days a department has to handle a routed complaint in a jurisdiction (national row
    without a region)."""

    region = models.OneToOneField(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national rule."),
    )
    days = models.PositiveSmallIntegerField(_("days to handle"), default=15)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("complaint deadline")
        verbose_name_plural = _("complaint deadlines")

    def __str__(self):
        return str(self.days)
