from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import Scope

SECTIONS = ("registrations", "cancellations", "filings", "changes", "terminations")
SECTION_LABELS = {
    "registrations": _("Registrations"),
    "cancellations": _("Cancellations"),
    "filings": _("Filings"),
    "changes": _("Change filings"),
    "terminations": _("Terminations"),
}
# Supervision's figures, counted by `inspections` through filing.supervision_counts when it is installed.
SUPERVISION = (
    "inspections",
    "rectifications_open",
    "rectifications_overdue",
    "complaints_received",
    "complaints_closed",
)
SUPERVISION_LABELS = {
    "inspections": _("Inspections done"),
    "rectifications_open": _("Rectifications open at month end"),
    "rectifications_overdue": _("of which overdue"),
    "complaints_received": _("Complaints received"),
    "complaints_closed": _("Complaints closed"),
}
COUNTS = SECTIONS + SUPERVISION
COUNT_LABELS = {**SECTION_LABELS, **SUPERVISION_LABELS}


class MonthlyReport(models.Model):
    """One region's monthly push for one month: what happened (counts and, for a county, the rows),
    and each registration body's on-time rate with its late pushes by name. Regenerated in place
    when the push runs again for that month."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County report")
        CITY = "city", _("City roll-up")
        PROVINCE = "province", _("Province roll-up")

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    counts = models.JSONField(_("counts"), default=dict)
    punctuality = models.JSONField(_("on-time pushes by registration body"), default=list)
    rows = models.JSONField(_("rows"), default=dict)
    generated_at = models.DateTimeField(_("generated"), auto_now=True)

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("monthly push report")
        verbose_name_plural = _("monthly push reports")
        ordering = ["-month", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="monthly_report_once")]

    def __str__(self):
        return f"{self.region.name} {self.month:%Y-%m}"

    @property
    def on_time_rate(self) -> float | None:
        total = sum(body["total"] for body in self.punctuality)
        late = sum(body["late"] for body in self.punctuality)
        return round(100 * (total - late) / total, 1) if total else None
