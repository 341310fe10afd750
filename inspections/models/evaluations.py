"""Health evaluations (卫生评价) by the maternal and child health institution (or the bureau): pass or
fail, with the report, valid until a day. A filing looks for a valid passing one (per jurisdiction
policy, see filing.models.FilingPolicy.health_evaluation_rule)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Scope


def report_upload_to(instance, filename: str) -> str:
    return f"evaluations/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class HealthEvaluation(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    institution = models.ForeignKey(
        "registry.Institution", verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "registry.Authority", verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    valid_until = models.DateField(_("valid until"))
    report_number = models.CharField(_("report number"), max_length=64, blank=True)
    report = models.FileField(_("report (scan)"), upload_to=report_upload_to, max_length=255, blank=True)
    report_name = models.CharField(_("file name"), max_length=255, blank=True)
    report_type = models.CharField(_("type"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()
    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("health evaluation")
        verbose_name_plural = _("health evaluations")
        ordering = ["-evaluated_on", "-pk"]
        indexes = [models.Index(fields=["institution", "-valid_until"], name="evaluation_institution")]

    def __str__(self):
        return f"{self.institution.name} · {self.evaluated_on} · {self.get_result_display()}"
