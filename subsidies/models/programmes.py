"""Subsidy programmes as data (补贴项目): what they pay for, at what rate, who pays, the budget per year and
the eligibility rules composed from named checks (`subsidies.eligibility`); the operators' applications
(one per institution, programme and period, enforced by the database), the payment batches the finance
bureau pays, and clawbacks."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope


class Programme(models.Model):
    class Kind(models.TextChoices):
        CONSTRUCTION = "construction", _("Construction subsidy (per new slot)")
        OPERATING = "operating", _("Operating subsidy (per enrolled child per month)")
        AWARD = "award", _("One-off award")
        TRAINING = "training", _("Training subsidy (per certified staff member)")

    class Period(models.TextChoices):
        MONTH = "month", _("a month")
        QUARTER = "quarter", _("a quarter")
        YEAR = "year", _("a year")
        ONCE = "once", _("once")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("paid by (jurisdiction)"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Institutions of this region and below may apply."),
    )
    rate = models.PositiveIntegerField(
        _("rate (yuan)"), help_text=_("Per slot, per child and month, per award or per person.")
    )
    period = models.CharField(_("applied for"), max_length=8, choices=Period.choices, default=Period.YEAR)
    opens_on = models.DateField(_("applications open"), null=True, blank=True)
    closes_on = models.DateField(_("applications close"), null=True, blank=True)
    description = models.TextField(pgettext_lazy("programme", "description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("subsidy programme")
        verbose_name_plural = _("subsidy programmes")
        ordering = ["region", "name"]

    def __str__(self):
        return self.name


class ProgrammeRule(models.Model):
    """One eligibility condition of a programme: a named check the code provides, with its value where
    it takes one (a grade, a percentage)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="rules"
    )
    condition = models.CharField(_("condition"), max_length=32)
    value = models.CharField(_("value"), max_length=32, blank=True)

    scope = Scope(region="programme__region")

    class Meta:
        verbose_name = _("eligibility condition")
        verbose_name_plural = _("eligibility conditions")
        ordering = ["programme", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "condition"], name="programme_rule_once")]

    def __str__(self):
        from ..eligibility import CONDITIONS

        label = CONDITIONS[self.condition][0] if self.condition in CONDITIONS else self.condition
        return f"{label} {self.value}".strip()


class LevelRate(models.Model):
    """A training subsidy's rate for one certificate level (初级, 中级, 高级, …); a certified person at a
    level with no rate of its own is paid the programme's rate."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="level_rates"
    )
    level = models.CharField(_("certificate level"), max_length=32)
    rate = models.PositiveIntegerField(_("rate (yuan)"))

    scope = Scope(region="programme__region")

    class Meta:
        verbose_name = _("rate per certificate level")
        verbose_name_plural = _("rates per certificate level")
        ordering = ["programme", "level"]
        constraints = [models.UniqueConstraint(fields=["programme", "level"], name="level_rate_once")]

    def __str__(self):
        return f"{self.level} {self.rate}"


class Budget(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("budget (yuan)"))
    committed = models.BigIntegerField(_("committed (yuan)"), default=0, editable=False)
    paid = models.BigIntegerField(_("paid (yuan)"), default=0, editable=False)

    history = HistoricalRecords()
    scope = Scope(region="programme__region")

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["programme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="budget_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(committed__lte=models.F("amount")), name="budget_not_overspent"
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.year}"

    @property
    def remaining(self) -> int:
        return self.amount - self.committed


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Being prepared")
        PAID = "paid", _("Paid")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="batches"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month it is paid in."))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("prepared"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="programme__region")

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="payment_batch_once_a_month")
        ]

    def __str__(self):
        return f"{self.programme} {self.month:%Y-%m}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications"
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
    )
    period = models.CharField(_("period"), max_length=8, help_text=_("2026, 2026-Q3, 2026-11 or once."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    units = models.PositiveIntegerField(_("count"))
    platform_units = models.PositiveIntegerField(_("count the platform holds"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months"), default=1)
    # A training subsidy's certified people per certificate level, as the staff register held them.
    levels = models.JSONField(_("certified people by level"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    checks = models.JSONField(_("checks"), default=list, blank=True, editable=False)
    amount = models.PositiveIntegerField(_("amount (yuan)"), null=True, blank=True, editable=False)
    clawed_back = models.PositiveIntegerField(_("clawed back (yuan)"), default=0, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("payment batch"),
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    scope = Scope(region="institution__region", institution="institution")

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["-applied_at", "-id"], name="application_recent")]
        constraints = [
            # Never paid twice: one application per institution, programme and period.
            models.UniqueConstraint(
                fields=["programme", "institution", "period"],
                name="application_once_per_period",
                violation_error_message=_("This institution has already applied for this period."),
            )
        ]

    def __str__(self):
        return f"{self.institution} · {self.programme} · {self.period_label}"

    @property
    def described_checks(self) -> list[dict]:
        from ..checks import described

        return described(self.checks)

    @property
    def period_label(self) -> str:
        return str(_("once")) if self.period == "once" else self.period


def application_upload_to(instance, filename: str) -> str:
    return f"subsidies/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=application_upload_to, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    scope = Scope(region="application__institution__region", institution="application__institution")

    class Meta:
        verbose_name = _("application evidence")
        verbose_name_plural = _("application evidence")
        ordering = ["application", "pk"]

    def __str__(self):
        return self.name


class Clawback(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="clawbacks"
    )
    amount = models.PositiveIntegerField(_("amount returned (yuan)"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="application__institution__region", institution="application__institution")

    class Meta:
        verbose_name = _("clawback")
        verbose_name_plural = _("clawbacks")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.application} −{self.amount}"
