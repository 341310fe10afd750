"""Rectification orders (整改) from non-compliant findings, their timeline (ordered, answered with
evidence, closed or reopened), and suspensions of an institution for a serious finding."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .checklists import Department, Severity


class Rectification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting rectification")
        ANSWERED = "answered", _("Answered, awaiting verification")
        CLOSED = "closed", _("Closed")

    finding = models.OneToOneField(
        "inspections.Finding",
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    required = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    ordered_at = models.DateTimeField(_("ordered"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["region", "department"])
    scope = Scope(region="region", institution="institution", department="department")

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="rectification_due"),
            models.Index(fields=["region", "status", "deadline"], name="rectification_region_due"),
        ]

    def __str__(self):
        return f"{self.institution.name}: {self.required[:40]}"


class RectificationEvent(models.Model):
    class Kind(models.TextChoices):
        ORDERED = "ordered", _("Ordered")
        ANSWERED = "answered", _("Answered by the institution")
        CLOSED = "closed", _("Verified and closed")
        REOPENED = "reopened", _("Reopened")
        EXTENDED = "extended", _("Deadline extended")

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    scope = Scope(
        region="rectification__region",
        institution="rectification__institution",
        department="rectification__department",
    )

    class Meta:
        verbose_name = _("rectification event")
        verbose_name_plural = _("rectification events")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.get_kind_display()


def evidence_upload_to(instance, filename: str) -> str:
    return f"rectifications/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class RectificationFile(models.Model):
    """Evidence the institution attached to an answer (a photo, an invoice, a certificate)."""

    event = models.ForeignKey(
        RectificationEvent, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)

    scope = Scope(
        region="event__rectification__region",
        institution="event__rectification__institution",
        department="event__rectification__department",
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Suspension(models.Model):
    """An institution told to stop taking children (停业整顿) for a serious finding: recorded with the
    inspection, shown publicly while in force, lifted by the county health bureau."""

    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="suspensions",
    )
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lift_reason = models.TextField(_("why lifted"), blank=True)

    history = HistoricalRecords()
    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.institution.name} · {self.starts_on}"
