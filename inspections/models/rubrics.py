"""Quality-assessment rubrics (质量评估标准) as versioned policy data: the seven dimensions of WS/T 821-2023,
their requirements with points and how to verify them, veto requirements (否决项: one failed fails the whole
assessment) and grade bands. National rows without a region; a jurisdiction adopts and changes its own
version. An assessment will copy the requirements it used, so later versions never change it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope


class Rubric(models.Model):
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national rubric."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=128)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    current = models.BooleanField(_("current version"), default=True)
    sources = models.TextField(_("sources"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("assessment rubric")
        verbose_name_plural = _("assessment rubrics")
        ordering = ["code", "region", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code", "version"],
                condition=Q(region__isnull=False),
                name="rubric_version_region",
            ),
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(region__isnull=True), name="rubric_version_national"
            ),
        ]

    def __str__(self):
        return _("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}


class RubricDimension(models.Model):
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope = Scope(region="rubric__region")

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["rubric", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="rubric_dimension_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Prefill(models.TextChoices):
    """What the platform already knows that answers a requirement (`inspections.assessment_prefill`)."""

    FILING = "filing", _("Filing")
    CLASSES = "classes", _("Classes in the filing")
    STAFF_HEALTH = "staff_health", _("Staff health checks (staff register)")
    STAFF_BACKGROUND = "staff_background", _("No-criminal-record certificates (staff register)")
    STAFF_TRAINING = "staff_training", _("Training in the last year (staff register)")
    HEALTH_STAFF = "health_staff", _("Health-care staff (staff register)")
    INSPECTION_HEALTH = "inspection:health", _("Last health inspection")
    INSPECTION_FIRE = "inspection:fire", _("Last fire inspection")
    INSPECTION_SECURITY = "inspection:public_security", _("Last public-security inspection")
    INSPECTION_MARKET = "inspection:market_regulation", _("Last market-regulation inspection")


class RubricRequirement(models.Model):
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="requirements"
    )
    dimension = models.ForeignKey(
        RubricDimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="requirements"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("requirement"))
    how_to_verify = models.TextField(_("how to verify"), blank=True)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    veto = models.BooleanField(
        _("veto requirement"), default=False, help_text=_("Failing it fails the assessment.")
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    prefill = models.CharField(
        _("prefilled from"),
        max_length=32,
        choices=Prefill.choices,
        blank=True,
        help_text=_("What the platform already knows that answers it; the self-assessment starts from it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope = Scope(region="rubric__region")

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["rubric", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="rubric_requirement_code")]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"


class GradeBand(models.Model):
    """A grade reached at or above a share of the points (a failed veto requirement fails whatever the
    score)."""

    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="bands"
    )
    grade = models.CharField(_("grade"), max_length=20)
    min_percent = models.DecimalField(
        _("from (% of the points)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passing = models.BooleanField(_("a pass"), default=True)

    scope = Scope(region="rubric__region")

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["rubric", "-min_percent"]
        constraints = [models.UniqueConstraint(fields=["rubric", "grade"], name="rubric_grade_once")]

    def __str__(self):
        return f"{self.grade} ≥ {self.min_percent}%"
