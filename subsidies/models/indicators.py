"""Supply indicators against targets (供给指标): the targets are policy data per jurisdiction (a national
row and a region's own, as every regional rule); each year's figures of each region are kept as a snapshot,
so that the trend over years stays as it was measured."""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope


class SupplyTarget(models.Model):
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national targets."),
    )
    by_year = models.PositiveSmallIntegerField(_("to be met by (year)"), null=True, blank=True)
    slots_per_1000_children = models.DecimalField(
        _("slots per 1,000 children under 3, at least"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    slots_per_1000_population = models.DecimalField(
        _("slots per 1,000 population, at least"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    inclusive_share = models.DecimalField(
        _("inclusive share of slots (%), at least"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    kindergarten_share = models.DecimalField(
        _("kindergarten-integrated share of slots (%), at least"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    certification_rate = models.DecimalField(
        _("staff certification rate (%), at least"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    fee_to_income = models.DecimalField(
        _("average inclusive fee, at most (% of a twelfth of last year's income)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("supply targets")
        verbose_name_plural = _("supply targets")
        ordering = ["region"]
        constraints = [
            models.UniqueConstraint(
                Coalesce("region", Value("")),
                name="supply_target_once",
                violation_error_message=_("This region already has its targets."),
            )
        ]

    def __str__(self):
        return str(self.region or _("National"))


class IndicatorSnapshot(models.Model):
    """A region's figures for a year as measured (recomputed through the year, kept once it is over)."""

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("supply indicators")
        verbose_name_plural = _("supply indicators")
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="indicator_snapshot_once")]

    def __str__(self):
        return f"{self.region} {self.year}"
