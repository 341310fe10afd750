"""Quality assessments (质量评估): a round opened by the bureau (a jurisdiction, a period, a rubric version,
the assessor: its own staff or a third-party body), an assessment per institution in scope that copies the
rubric's requirements, the operator's self-assessment, the assessor's scores and the grade, the bureau's
publication."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope


class AssessmentRound(models.Model):
    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    rubric = models.ForeignKey(
        "inspections.Rubric", verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        "registry.Authority",
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The bureau itself or a third-party assessment body it engaged."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region", assigned="assessor")

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    class Status(models.TextChoices):
        SELF_ASSESSING = "self_assessing", _("Self-assessment under way")
        SUBMITTED = "submitted", _("Self-assessment submitted, awaiting scoring")
        SCORED = "scored", _("Scored, awaiting publication")
        PUBLISHED = "published", pgettext_lazy("assessment", "Published")

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        "registry.Authority", verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SELF_ASSESSING
    )
    total = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    percent = models.DecimalField(
        _("share of the points (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    passing = models.BooleanField(_("a pass"), null=True, blank=True)
    by_dimension = models.JSONField(_("score by dimension"), default=dict, blank=True)
    vetoed = models.JSONField(_("veto requirements failed"), default=list, blank=True)
    self_submitted_at = models.DateTimeField(_("self-assessment submitted"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["by_dimension"])
    scope = Scope(region="region", institution="institution", assigned="assessor")

    class Meta:
        verbose_name = _("quality assessment")
        verbose_name_plural = _("quality assessments")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "institution"], name="assessment_once_per_round")
        ]
        indexes = [
            models.Index(fields=["institution", "status", "-published_at"], name="assessment_institution")
        ]

    def __str__(self):
        return f"{self.institution.name} · {self.round.title}"


class AssessmentItem(models.Model):
    """One requirement of the rubric version as assessed; its text, points and veto are copied, so a later
    rubric version never changes a finished assessment."""

    class SelfAnswer(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("quality assessment"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    dimension_code = models.CharField(_("dimension"), max_length=10)
    dimension_name = models.CharField(_("dimension"), max_length=64)
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("requirement"))
    how_to_verify = models.TextField(_("how to verify"), blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    veto = models.BooleanField(_("veto requirement"), default=False)
    self_answer = models.CharField(_("self-assessment"), max_length=8, choices=SelfAnswer.choices, blank=True)
    self_note = models.TextField(_("operator's note"), blank=True)
    awarded = models.DecimalField(_("points awarded"), max_digits=5, decimal_places=1, null=True, blank=True)
    assessor_note = models.TextField(_("assessor's note"), blank=True)

    scope = Scope(
        region="assessment__region", institution="assessment__institution", assigned="assessment__assessor"
    )

    class Meta:
        verbose_name = _("assessed requirement")
        verbose_name_plural = _("assessed requirements")
        ordering = ["assessment", "position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="assessment_item_once")]

    def __str__(self):
        return f"{self.code} {self.text[:40]}"
