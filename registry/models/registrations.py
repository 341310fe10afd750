from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .authorities import Route
from .scope import Scope


class ServiceType(models.TextChoices):
    FULL_DAY = "full_day", _("Full-day care")
    HALF_DAY = "half_day", _("Half-day care")
    HOURLY = "hourly", _("Hourly care")
    TEMPORARY = "temporary", _("Temporary care")


class Registration(models.Model):
    """The legal registration of an institution as its registration body pushed it.

    A cancellation is a status, never a deletion; every change is kept in the history.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    class ScopeDecision(models.TextChoices):
        CHILDCARE = "childcare", _("Confirmed as childcare")
        NOT_CHILDCARE = "not_childcare", _("Not a childcare institution")

    institution = models.OneToOneField(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="registration",
    )
    authority = models.ForeignKey(
        "registry.Authority",
        verbose_name=_("registration body"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    route = models.CharField(_("route"), max_length=32, choices=Route.choices)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="registrations"
    )
    name = models.CharField(_("registered name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)
    legal_representative = models.CharField(_("legal representative"), max_length=64)
    registered_on = models.DateField(_("registered on"), db_index=True)
    business_scope = models.TextField(_("business scope"))
    service_types = models.JSONField(_("service types"), default=list, blank=True)
    employer_run = models.BooleanField(_("employer-run"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    late = models.BooleanField(
        _("pushed late"),
        default=False,
        help_text=_("First pushed after the end of the month of registration."),
    )
    scope_flagged = models.BooleanField(
        _("business scope flagged"),
        default=False,
        help_text=_("The business scope does not mention childcare for children under three."),
    )
    first_pushed_at = models.DateTimeField(_("first pushed"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    # The county bureau's answer to a doubtful business scope; "not childcare" takes the institution off
    # the unfiled ladder and the unfiled lists.
    scope_decision = models.CharField(
        _("scope decision"), max_length=16, choices=ScopeDecision.choices, blank=True
    )
    scope_decision_note = models.TextField(_("scope decision note"), blank=True)
    scope_decided_at = models.DateTimeField(_("scope decided"), null=True, blank=True)
    scope_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scope decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()
    scope = Scope(region="region", institution="institution")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_on", "name"]
        indexes = [
            models.Index(fields=["authority", "updated_at", "id"], name="registration_client_feed"),
            models.Index(fields=["region", "registered_on"], name="registration_county_month"),
            # The admin list, newest first, for a jurisdiction and for everyone (the admin adds -pk).
            models.Index(
                fields=["region", "-registered_on", "name", "-id"], name="registration_region_recent"
            ),
            models.Index(fields=["-registered_on", "name", "-id"], name="registration_recent"),
        ]

    def __str__(self):
        return f"{self.name}（{self.institution.uscc}）"


class RegistrationConflict(models.Model):
    """A push for a USCC already held by another registration body's registration, kept for the
    county bureau to resolve."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("existing registration"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    region = models.ForeignKey("registry.Region", verbose_name=_("county"), on_delete=models.PROTECT)
    pushed_by = models.ForeignKey(
        "registry.Authority", verbose_name=_("pushed by"), on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("pushed record"))
    times_pushed = models.PositiveIntegerField(_("times pushed"), default=1)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    history = HistoricalRecords()
    scope = Scope(region="region", institution="registration__institution")

    class Meta:
        verbose_name = _("registration conflict")
        verbose_name_plural = _("registration conflicts")
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc", "pushed_by"],
                condition=models.Q(resolved_at__isnull=True),
                name="conflict_one_open_per_pusher",
            )
        ]

    def __str__(self):
        return f"{self.uscc} ← {self.pushed_by}"
