"""What the register keeps about a person: qualification certificates, yearly health checks, training and
the no-criminal-record certificate asked for at hire. Each may carry a scan, a private file served only
to those who may see the person (`workforce.views.scan`)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from registry.models import Scope

from .people import Person


def scan_upload_to(instance, filename: str) -> str:
    """Private path under a random name; the original name is kept in the row only."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"staff/{instance.person_id}/{uuid.uuid4().hex}{suffix}"


class CertificateType(models.Model):
    """A kind of certificate the register knows, as policy data: rows without a region are the national
    list, a region's rows add to it (or replace a national row with the same code). `roles` are the staff
    roles the certificate qualifies for (持证上岗)."""

    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    roles = models.JSONField(_("qualifies for"), default=list, blank=True)
    levels = models.CharField(
        _("levels"), max_length=128, blank=True, help_text=_("The levels it comes in, separated by 、")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    scope = Scope(region="region")

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"],
                condition=Q(region__isnull=False),
                name="certificate_type_per_region",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(region__isnull=True), name="certificate_type_national"
            ),
        ]

    def __str__(self):
        return self.name


class PersonRecord(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("staff member"), on_delete=models.CASCADE)
    scan = models.FileField(_("scan"), upload_to=scan_upload_to, max_length=255, blank=True)
    scan_name = models.CharField(_("file name"), max_length=255, blank=True)
    scan_type = models.CharField(_("type"), max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        abstract = True


class Certificate(PersonRecord):
    certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("certificate number"), max_length=64)
    level = models.CharField(_("level"), max_length=32, blank=True)
    issuer = models.CharField(pgettext_lazy("certificate", "issued by"), max_length=128)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no expiry."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["person", "-issued_on", "pk"]
        default_related_name = "certificates"
        indexes = [models.Index(fields=["person", "expires_on"], name="certificate_validity")]

    def __str__(self):
        return f"{self.certificate_type} {self.number}"


class HealthCheck(PersonRecord):
    class Result(models.TextChoices):
        FIT = "fit", _("Fit for the work")
        UNFIT = "unfit", _("Not fit for the work")

    checked_on = models.DateField(_("checked on"))
    examined_by = models.CharField(_("examined at"), max_length=128)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.FIT)
    valid_until = models.DateField(_("valid until"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["person", "-checked_on", "pk"]
        default_related_name = "health_checks"
        indexes = [models.Index(fields=["person", "valid_until"], name="health_check_validity")]

    def __str__(self):
        return f"{self.person.name} · {self.checked_on}"


class Training(PersonRecord):
    course = models.CharField(_("course"), max_length=128)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=128)
    completed_on = models.DateField(_("completed on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("training records")
        ordering = ["person", "-completed_on", "pk"]
        default_related_name = "trainings"

    def __str__(self):
        return self.course


class NoCriminalRecord(PersonRecord):
    """无犯罪记录证明, issued by the police station where the person lives; asked for at hire."""

    police_station = models.CharField(_("issued by (police station)"), max_length=128)
    issued_on = models.DateField(_("issued on"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("no-criminal-record certificate")
        verbose_name_plural = _("no-criminal-record certificates")
        ordering = ["person", "-issued_on", "pk"]
        default_related_name = "no_criminal_records"

    def __str__(self):
        return f"{self.police_station} · {self.issued_on}"


RECORD_KINDS = {
    "certificate": Certificate,
    "health-check": HealthCheck,
    "training": Training,
    "no-criminal-record": NoCriminalRecord,
}
