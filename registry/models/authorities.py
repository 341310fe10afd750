from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .scope import Scope


class Route(models.TextChoices):
    """How an institution registers, by its nature (GLOSSARY: routes)."""

    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    SOCIAL_SERVICE = "social_service", _("Non-profit social service institution")
    ENTERPRISE = "enterprise", _("Enterprise")
    KINDERGARTEN = "kindergarten", _("Kindergarten nursery class")


class Authority(models.Model):
    """A government body of one kind in one region (a county, a city or a province)."""

    class Kind(models.TextChoices):
        ESTABLISHMENT = "establishment", _("Establishment office")
        CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
        MARKET_REGULATION = "market_regulation", _("Market regulation")
        ADMIN_APPROVAL = "admin_approval", _("Administrative approval bureau")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        FIRE = "fire", _("Fire and rescue")
        PUBLIC_SECURITY = "public_security", _("Public security")
        MCH = "mch", _("Maternal and child health institution")
        ASSESSMENT_BODY = "assessment_body", _("Third-party assessment body")
        DEVELOPMENT_REFORM = "development_reform", _("Development and reform")
        FINANCE = "finance", _("Finance")
        HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
        NATURAL_RESOURCES = "natural_resources", _("Natural resources and planning")
        HOUSING = "housing", _("Housing and urban-rural development")
        EMERGENCY_MANAGEMENT = "emergency_management", _("Emergency management")
        TAXATION = "taxation", _("Taxation")
        TRADE_UNION = "trade_union", _("Federation of trade unions")
        YOUTH_LEAGUE = "youth_league", _("Communist Youth League committee")
        WOMENS_FEDERATION = "womens_federation", _("Women's federation")
        FAMILY_PLANNING_ASSOCIATION = "family_planning_association", _("Family planning association")
        GOVERNMENT = "government", _("People's government")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="authorities"
    )
    name = models.CharField(_("name"), max_length=128)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["region_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="authority_one_per_kind_region")
        ]

    def __str__(self):
        return self.name


class PushRoute(models.Model):
    """Whether authorities of a kind may push registrations of a route.

    A row without a region is the national rule; a row for a region overrides it there and below
    (Shiyan's centralised-licensing counties let the administrative approval bureau register both
    non-profit and for-profit institutions). The most specific row wins.
    """

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the national rule."),
    )
    authority_kind = models.CharField(_("authority kind"), max_length=32, choices=Authority.Kind.choices)
    route = models.CharField(_("route"), max_length=32, choices=Route.choices)
    allowed = models.BooleanField(_("allowed"), default=True)

    history = HistoricalRecords()
    scope = Scope(region="region")

    class Meta:
        verbose_name = _("push route rule")
        verbose_name_plural = _("push route rules")
        ordering = ["region_id", "authority_kind", "route"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "authority_kind", "route"], name="pushroute_unique_in_region"
            ),
            models.UniqueConstraint(
                fields=["authority_kind", "route"],
                condition=models.Q(region__isnull=True),
                name="pushroute_unique_national",
            ),
        ]

    def __str__(self):
        where = self.region.name if self.region_id else _("National")
        verb = _("may push") if self.allowed else _("may not push")
        return f"{where}: {self.get_authority_kind_display()} {verb} {self.get_route_display()}"
