"""Quality assessments (质量评估): a round opened by the bureau (a jurisdiction, a period, a rubric version,
the assessor: its own staff or a third-party body), an assessment per institution in scope that copies the
rubric's requirements, the operator's self-assessment, the assessor's scores and the grade, the bureau's
publication, the operator's appeal and the bureau's decision, and when the institution is assessed again."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope


class AssessmentPolicy(models.Model):
    """How long an operator may appeal a published grade, and when the institution is due to be assessed
    again (a pass holds for a number of months; a fail is re-assessed sooner). National row without a
    region; a region's row replaces it."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Leave empty for the national rule."),
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("days to appeal"), help_text=_("Counted from publication.")
    )
    pass_valid_months = models.PositiveSmallIntegerField(_("a pass holds for (months)"))
    fail_reassess_months = models.PositiveSmallIntegerField(_("a fail is re-assessed within (months)"))

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("assessment rule")
        verbose_name_plural = _("assessment rules")
        ordering = ["region"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(region__isnull=False), name="assessment_policy_region"
            ),
            models.UniqueConstraint(
                fields=["appeal_days"], condition=Q(region__isnull=True), name="assessment_policy_national"
            ),
        ]

    def __str__(self):
        return str(self.region or _("National"))


class AssessmentRound(models.Model):
    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(pgettext_lazy("assessment", "period from"))
    ends_on = models.DateField(pgettext_lazy("assessment", "period to"))
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
        APPEALED = "appealed", _("Appealed, awaiting the bureau's decision")

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
    appeal_until = models.DateField(_("may be appealed until"), null=True, blank=True)
    reassess_by = models.DateField(_("to be assessed again by"), null=True, blank=True)
    rectification = models.OneToOneField(
        "inspections.Inspection",
        verbose_name=_("rectification ordered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment",
        help_text=_("The rectification orders for the requirements a failed assessment did not meet."),
    )

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
            models.Index(fields=["institution", "status", "-published_at"], name="assessment_institution"),
            models.Index(fields=["reassess_by"], name="assessment_reassess_by"),
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
    prefill_source = models.TextField(
        _("prefilled from"),
        blank=True,
        help_text=_("What the platform already knew when the round opened, and where it came from."),
    )

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


def evidence_upload_to(instance, filename: str) -> str:
    return f"assessments/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class AssessmentFile(models.Model):
    """Evidence for one requirement: the operator's (a certificate, a record, a photo) with the
    self-assessment, or the assessor's photos taken on site."""

    item = models.ForeignKey(
        AssessmentItem, verbose_name=_("assessed requirement"), on_delete=models.CASCADE, related_name="files"
    )
    by_assessor = models.BooleanField(_("from the assessor"), default=False)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    scope = Scope(
        region="item__assessment__region",
        institution="item__assessment__institution",
        assigned="item__assessment__assessor",
    )

    class Meta:
        verbose_name = _("assessment evidence")
        verbose_name_plural = _("assessment evidence")
        ordering = ["item", "added_at", "pk"]

    def __str__(self):
        return self.name


class AssessmentAppeal(models.Model):
    """The operator's appeal (申诉) against a published grade, and the bureau's decision with its reason: an
    upheld appeal sends the assessment back to the assessor and withdraws the grade until it is published
    again; a dismissed one leaves the grade as published."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Upheld: the assessment is scored again")
        DISMISSED = "dismissed", _("Dismissed: the grade stands")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("quality assessment"), on_delete=models.PROTECT, related_name="appeals"
    )
    reason = models.TextField(_("grounds of the appeal"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("appealed by"), on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("appealed"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()
    scope = Scope(
        region="assessment__region", institution="assessment__institution", assigned="assessment__assessor"
    )

    class Meta:
        verbose_name = _("assessment appeal")
        verbose_name_plural = _("assessment appeals")
        ordering = ["-lodged_at", "-pk"]

    def __str__(self):
        return f"{self.assessment} · {self.lodged_at:%Y-%m-%d}"
