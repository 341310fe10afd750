"""双随机、一公开: an inspection plan, and its draws. A draw commits to its seed (SHA-256) and to the
roster and inspector pool it will draw from before anyone knows the seed; drawing reveals the seed, and
anyone can then recompute the result (`inspections.draw_algorithm`). A redraw is a new draw with a
reason; the earlier one stays, marked superseded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .checklists import Department


class InspectionPlan(models.Model):
    class Stratum(models.TextChoices):
        FILED = "filed", _("Filed institutions")
        REGISTERED = "registered", _("Registered institutions, filed or not")

    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("inspecting body"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.CharField(_("department"), max_length=32, choices=Department.choices)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("drawn from"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A county, or a city for all its counties."),
    )
    title = models.CharField(_("title"), max_length=200)
    stratum = models.CharField(_("stratum"), max_length=12, choices=Stratum.choices, default=Stratum.FILED)
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    sample_size = models.PositiveIntegerField(_("institutions to draw"), null=True, blank=True)
    sample_percent = models.DecimalField(
        _("or a share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    checklist_code = models.SlugField(_("checklist"), max_length=40)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector pool"), related_name="inspection_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region", department="department")

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return self.title


class Draw(models.Model):
    class Status(models.TextChoices):
        COMMITTED = "committed", _("Committed, not yet drawn")
        DRAWN = "drawn", _("Drawn")
        SUPERSEDED = "superseded", _("Superseded by a redraw")

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.PROTECT, related_name="draws"
    )
    number = models.PositiveSmallIntegerField(_("draw number"))
    reason = models.TextField(_("reason for the redraw"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.COMMITTED)
    algorithm = models.CharField(_("algorithm"), max_length=20, default="sha256-rank-v1")
    seed_commitment = models.CharField(_("seed commitment (SHA-256)"), max_length=64)
    seed = models.CharField(_("seed"), max_length=64, editable=False)  # secret until drawn
    roster = models.JSONField(_("roster"), default=list)  # USCCs in the published order
    roster_digest = models.CharField(_("roster digest (SHA-256)"), max_length=64)
    pool = models.JSONField(_("inspector pool"), default=list)  # [code, name] in the published order
    pool_digest = models.CharField(_("pool digest (SHA-256)"), max_length=64)
    sample_size = models.PositiveIntegerField(_("institutions to draw"))
    result = models.JSONField(_("result"), default=list)  # [{"uscc": …, "inspectors": [code, code]}]
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("committed by"), on_delete=models.PROTECT, related_name="+"
    )
    committed_at = models.DateTimeField(_("committed (published)"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["roster", "pool", "result", "seed"])
    scope = Scope(region="plan__region", department="plan__department")

    class Meta:
        verbose_name = _("random inspection draw")
        verbose_name_plural = _("random inspection draws")
        ordering = ["-committed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="draw_number_per_plan")]

    def __str__(self):
        return _("%(plan)s, draw %(number)s") % {"plan": self.plan.title, "number": self.number}
