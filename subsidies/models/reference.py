"""Reference data per jurisdiction and year (统计数据): residents' per-capita disposable income, the
under-3 and total population; the guided fee standards for non-profits (指导性收费标准); and the rule
that turns income into the inclusive price cap (价格上限). All data: a bureau enters or imports them, no
number lives in the code."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope, ServiceType


class Income(models.TextChoices):
    ALL = "all", _("all residents")
    URBAN = "urban", _("urban residents")
    RURAL = "rural", _("rural residents")


class ReferenceYear(models.Model):
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    income_all = models.PositiveIntegerField(
        _("per-capita disposable income, all residents (yuan a year)"), null=True, blank=True
    )
    income_urban = models.PositiveIntegerField(
        _("per-capita disposable income, urban residents (yuan a year)"), null=True, blank=True
    )
    income_rural = models.PositiveIntegerField(
        _("per-capita disposable income, rural residents (yuan a year)"), null=True, blank=True
    )
    children_under_3 = models.PositiveIntegerField(_("children under 3"), null=True, blank=True)
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The statistical bulletin the figures come from."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("reference figures")
        verbose_name_plural = _("reference figures")
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="reference_year_once")]

    def __str__(self):
        return f"{self.region} {self.year}"

    def income(self, which: str) -> int | None:
        return getattr(self, f"income_{which}")


class GuidedFee(models.Model):
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("from year"), help_text=_("Applies from this year until replaced.")
    )
    service_type = models.CharField(_("service type"), max_length=16, choices=ServiceType.choices)
    monthly_fee = models.PositiveIntegerField(_("guided monthly fee (yuan)"))

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("guided fee standard")
        verbose_name_plural = _("guided fee standards")
        ordering = ["region", "-year", "service_type"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "service_type"], name="guided_fee_once")
        ]

    def __str__(self):
        return f"{self.region} {self.year} {self.get_service_type_display()} {self.monthly_fee}"


class PriceCapRule(models.Model):
    """The inclusive price cap of a jurisdiction: an inclusive institution's monthly fee is at most `percent`
    of a month's share (a twelfth) of the previous year's per-capita disposable income of the chosen
    residents; and how long a recognition holds. National row without a region; a region's replaces it."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national rule."),
    )
    percent = models.DecimalField(
        _("cap (% of monthly income)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Linhai: 30 — the fee is at most 30 % of a twelfth of last year's income."),
    )
    income = models.CharField(_("income of"), max_length=8, choices=Income.choices, default=Income.ALL)
    recognition_months = models.PositiveSmallIntegerField(_("a recognition holds for (months)"), default=36)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("inclusive price cap rule")
        verbose_name_plural = _("inclusive price cap rules")
        ordering = ["region"]
        # One rule per region, and one national rule (NULLs would not collide in a plain unique index).
        constraints = [
            models.UniqueConstraint(
                Coalesce("region", Value("")),
                name="price_cap_rule_once",
                violation_error_message=_("This region already has a price cap rule."),
            )
        ]

    def __str__(self):
        return str(self.region or _("National"))
