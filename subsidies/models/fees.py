"""Fee disclosure (收费公示): each filed institution's current monthly fee per service type, taken from
the latest of its accepted filing, its annual report and its recognition, with the guided standard it is
compared with. Kept in step by `subsidies.services.fees`, so market regulation's list filters and exports
on plain indexed columns."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Scope, ServiceType


class Fee(models.Model):
    class Source(models.TextChoices):
        FILING = "filing", _("Filing")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        RECOGNITION = "recognition", _("Inclusive recognition")

    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="fees"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.CharField(_("service type"), max_length=16, choices=ServiceType.choices)
    monthly_fee = models.PositiveIntegerField(_("monthly fee (yuan)"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_date = models.DateField(_("as of"))
    changed_on = models.DateField(_("fee changed on"), db_index=True)
    previous_fee = models.PositiveIntegerField(_("previous fee (yuan)"), null=True, blank=True)
    guided_fee = models.PositiveIntegerField(_("guided standard (yuan)"), null=True, blank=True)
    over_guided = models.BooleanField(_("over the guided standard"), default=False, db_index=True)
    non_profit = models.BooleanField(_("non-profit"), default=False)

    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fee disclosure")
        ordering = ["region", "institution", "service_type"]
        indexes = [models.Index(fields=["region", "institution", "service_type"], name="fee_region")]
        constraints = [
            models.UniqueConstraint(fields=["institution", "service_type"], name="fee_per_service_type")
        ]

    def __str__(self):
        return f"{self.institution} {self.get_service_type_display()} {self.monthly_fee}"
