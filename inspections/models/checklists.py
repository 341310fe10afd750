"""What each department checks, as policy data: checklists of items with a legal basis and a severity,
per jurisdiction (national rows, a region's own), versioned so an inspection keeps the list it used; and
how long a rectification may take by severity."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Authority, Scope


class Department(models.TextChoices):
    """The authority kinds that inspect childcare institutions (the seeds give each its part)."""

    HEALTH = Authority.Kind.HEALTH.value, Authority.Kind.HEALTH.label
    FIRE = Authority.Kind.FIRE.value, Authority.Kind.FIRE.label
    MARKET_REGULATION = Authority.Kind.MARKET_REGULATION.value, Authority.Kind.MARKET_REGULATION.label
    PUBLIC_SECURITY = Authority.Kind.PUBLIC_SECURITY.value, Authority.Kind.PUBLIC_SECURITY.label
    EDUCATION = Authority.Kind.EDUCATION.value, Authority.Kind.EDUCATION.label


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    SERIOUS = "serious", _("Serious")


class Checklist(models.Model):
    """One version of a department's checklist in a jurisdiction. A version that an inspection used is
    never edited: the bureau starts a new version, which becomes the current one."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national checklist."),
    )
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=128)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    current = models.BooleanField(_("current version"), default=True)
    basis = models.TextField(_("sources"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["department", "code", "region", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "department", "code", "version"],
                condition=Q(region__isnull=False),
                name="checklist_version_per_region",
            ),
            models.UniqueConstraint(
                fields=["department", "code", "version"],
                condition=Q(region__isnull=True),
                name="checklist_version_national",
            ),
        ]

    def __str__(self):
        return _("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("what is checked"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope = Scope(region="checklist__region")

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="checklist_item_code")]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"


class RectificationPolicy(models.Model):
    """How many days an institution has to rectify a finding of a severity, and whether such a finding
    may suspend it. National rows without a region; a region's row replaces the national one."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national rule."),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    days = models.PositiveSmallIntegerField(_("days to rectify"))
    may_suspend = models.BooleanField(_("may suspend the institution"), default=False)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("rectification deadline")
        verbose_name_plural = _("rectification deadlines")
        ordering = ["region", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "severity"], condition=Q(region__isnull=False), name="rectify_days_region"
            ),
            models.UniqueConstraint(
                fields=["severity"], condition=Q(region__isnull=True), name="rectify_days_national"
            ),
        ]

    def __str__(self):
        return f"{self.get_severity_display()}: {self.days}"
