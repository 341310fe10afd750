"""An inspection (监督检查): a department's on-site check of one institution against one checklist
version, by at least two inspectors, item by item, with an overall outcome."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .checklists import Department, Severity


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    RECTIFY = "rectify", _("Rectification ordered")
    SUSPEND = "suspend", _("Suspended and rectification ordered")


class Result(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Not compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Inspection(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DRAFT = "draft", _("Being recorded")
        RECORDED = "recorded", _("Recorded, rectification open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    # The institution's county and the inspecting department, kept on the row so a list over millions
    # of inspections filters on indexed columns of its own.
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("inspecting body"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    checklist = models.ForeignKey(
        "inspections.Checklist", verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), related_name="inspections"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    draw = models.ForeignKey(
        "inspections.Draw",
        verbose_name=_("random inspection draw"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["region", "department"])
    scope = Scope(region="region", institution="institution", department="department")

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-created_at", "-id"], name="inspection_region_recent"),
            # A department's list: its rows of the jurisdiction, newest first.
            models.Index(
                fields=["department", "region", "-created_at", "-id"], name="inspection_department_recent"
            ),
            models.Index(fields=["institution", "-inspected_on"], name="inspection_institution"),
            models.Index(fields=["-created_at", "-id"], name="inspection_recent"),
        ]

    def __str__(self):
        return _("%(department)s inspection of %(institution)s") % {
            "department": self.get_department_display(),
            "institution": self.institution.name,
        }


class Finding(models.Model):
    """One checklist item as the inspectors found it. The item's code, text, basis and severity are
    copied from the checklist version, so later versions never change what was found."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("what is checked"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope = Scope(
        region="inspection__region",
        institution="inspection__institution",
        department="inspection__department",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["inspection", "code"], name="finding_item_once")]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"


def photo_upload_to(instance, filename: str) -> str:
    return f"inspections/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class FindingPhoto(models.Model):
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=photo_upload_to, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope = Scope(
        region="finding__inspection__region",
        institution="finding__inspection__institution",
        department="finding__inspection__department",
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self):
        return self.name
