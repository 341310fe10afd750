from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import InstitutionRegion, Scope


class AnnualReport(InstitutionRegion, models.Model):
    """What an institution reports each year: children, staff, incidents, fees. The bureau may return it
    for correction with a reason; the operator corrects and submits it again."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")

    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    enrolled_children = models.PositiveIntegerField(_("enrolled children"))
    staff_total = models.PositiveIntegerField(_("staff"))
    incidents = models.TextField(
        _("safety incidents"), blank=True, help_text=_("Describe any, or leave empty.")
    )
    monthly_fees = models.JSONField(_("monthly fees"), default=dict, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    return_reason = models.TextField(_("reason for return"), blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()
    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        # The admin list's order (the admin adds -pk to it), served by an index.
        indexes = [
            models.Index(fields=["-year", "-id"], name="annual_report_recent"),
            models.Index(fields=["region", "-year", "-id"], name="annual_report_region_recent"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="annual_report_once_a_year")
        ]

    def __str__(self):
        return f"{self.institution} {self.year}"


class Termination(InstitutionRegion, models.Model):
    """An institution stops: its plan for the children and staff, then the bureau's confirmation."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")

    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="terminations",
    )
    planned_on = models.DateField(_("stops on"))
    children_plan = models.TextField(_("plan for the children"))
    staff_plan = models.TextField(_("plan for the staff"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    history = HistoricalRecords()
    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")
        ordering = ["-submitted_at"]
        # The admin list's order (the admin adds -pk to it), served by an index.
        indexes = [
            models.Index(fields=["-submitted_at", "-id"], name="termination_recent"),
            models.Index(fields=["region", "-submitted_at", "-id"], name="termination_region_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"], condition=models.Q(status="submitted"), name="termination_one_open"
            )
        ]

    def __str__(self):
        return f"{self.institution} {self.planned_on}"
