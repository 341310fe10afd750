from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import InstitutionRegion, Scope


class Ladder(models.TextChoices):
    UNFILED = "unfiled", _("Registered but not filed")
    REVIEW_OVERDUE = "review_overdue", _("Filing awaiting review past its limit")
    RETURNED = "returned", _("Returned filing not resubmitted")
    HEALTH_CHECK = "health_check", _("Staff health check lapsing")
    CERTIFICATE = "certificate", _("Staff certificate lapsing")
    RECTIFICATION = "rectification", _("Rectification overdue")
    REASSESSMENT = "reassessment", _("Quality re-assessment overdue")


class Audience(models.TextChoices):
    OPERATOR = "operator", _("The institution's operators")
    REVIEWER = "reviewer", _("The county bureau's reviewers")
    HEAD = "head", _("The county bureau's head")
    CITY = "city", _("The city health bureau")
    DEPARTMENT = "department", _("The inspecting body's staff")


class EscalationRung(models.Model):
    """One rung of an escalation ladder (督办) in a jurisdiction: after how many days, who is told.

    Days count from when the clock starts: registration for an unfiled institution, the end of the
    review limit for a filing awaiting review (working days), the return for a returned filing, 30 days
    before it lapses for a staff member's health check or certificate (the staff register), the deadline
    for a rectification, the re-assessment due date for a quality assessment. Rows
    without a region are the national defaults; a region's rows replace them rung by rung."""

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    ladder = models.CharField(_("ladder"), max_length=16, choices=Ladder.choices)
    rung = models.PositiveSmallIntegerField(_("rung"))
    days = models.PositiveSmallIntegerField(_("after (days)"))
    audience = models.JSONField(_("who is told"), default=list)
    history = HistoricalRecords()

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("escalation rung")
        verbose_name_plural = _("escalation ladders")
        ordering = ["ladder", "region", "rung"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "ladder", "rung"], condition=Q(region__isnull=False), name="rung_per_region"
            ),
            models.UniqueConstraint(
                fields=["ladder", "rung"], condition=Q(region__isnull=True), name="rung_national"
            ),
        ]

    def __str__(self):
        return f"{self.get_ladder_display()} #{self.rung}: {self.days}"


class EscalationStep(InstitutionRegion, models.Model):
    """A rung that fired for one subject. The unique key is what makes each rung fire once however
    often the job runs; `episode` (when the subject's clock started) lets a filing returned again
    climb the ladder afresh."""

    ladder = models.CharField(_("ladder"), max_length=16, choices=Ladder.choices)
    rung = models.PositiveSmallIntegerField(_("rung"))
    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject"))
    episode = models.DateField(_("clock started"))
    fired_at = models.DateTimeField(_("fired"), auto_now_add=True)
    notified = models.PositiveSmallIntegerField(_("people told"), default=0)

    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["-fired_at"]
        # The admin list's order (the admin adds -pk to it), served by an index.
        indexes = [
            models.Index(fields=["-fired_at", "-id"], name="escalation_step_recent"),
            models.Index(fields=["region", "-fired_at", "-id"], name="escalation_step_region_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ladder", "subject_id", "episode", "rung"], name="escalation_step_once"
            )
        ]

    def __str__(self):
        return f"{self.get_ladder_display()} #{self.rung}"
