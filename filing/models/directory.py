"""The public directory (公开名录): one row per filed, active institution holding only what may be public.
Public pages, the open-data API and its CSV read nothing else, so nothing private can reach them; the rows are
refreshed whenever what they show changes (`filing.services.directory`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Scope
from registry.models.institutions import CareForm


class DirectoryEntry(models.Model):
    institution = models.OneToOneField(
        "registry.Institution",
        verbose_name=_("institution"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="directory_entry",
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=CareForm.choices)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    service_types = models.JSONField(_("service types"), default=list)
    full_day = models.BooleanField(default=False)
    half_day = models.BooleanField(default=False)
    hourly = models.BooleanField(default=False)
    temporary = models.BooleanField(default=False)
    slots = models.PositiveIntegerField(_("slots"), default=0)
    infant_slots = models.PositiveIntegerField(_("infant class slots"), default=0)
    monthly_fees = models.JSONField(_("monthly fees"), default=dict)
    inclusive = models.BooleanField(_("inclusive (普惠)"), default=False)
    demonstration = models.BooleanField(_("demonstration (示范)"), default=False)
    employer_run = models.BooleanField(_("employer-run"), default=False)
    kindergarten = models.BooleanField(_("kindergarten nursery class"), default=False)
    receipt_number = models.CharField(_("receipt number"), max_length=32, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    quality_grade = models.CharField(_("quality grade"), max_length=20, blank=True)
    latest_inspection = models.JSONField(_("latest inspection"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"))

    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("public directory")
        ordering = ["region", "name", "uscc"]
        indexes = [
            models.Index(fields=["region", "name", "uscc"], name="directory_region_name"),
            models.Index(fields=["name", "uscc"], name="directory_name"),
            models.Index(fields=["updated_at", "uscc"], name="directory_updated"),
        ]

    def __str__(self):
        return self.name

    @property
    def fees(self) -> list[tuple[str, object]]:
        """(service type, yuan a month) in the order the services are listed."""
        return [(t, self.monthly_fees.get(t)) for t in self.service_types if self.monthly_fees.get(t)]
