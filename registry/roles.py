"""Roles are Django groups with a fixed set of model permissions; jurisdiction comes from the
person's authority, so one role serves every county."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_HEALTH = "county_health", _("County health bureau staff")
    BUREAU_HEAD = "bureau_head", _("Health bureau head (receives escalations)")
    SUPERVISING_HEALTH = "supervising_health", _("City or province health staff (read-mostly)")
    CONFERENCE_OFFICE = "conference_office", _("Joint-conference office")
    CONFERENCE_LIAISON = "conference_liaison", _("Joint-conference member-unit liaison")
    REGISTRATION_BODY = "registration_body", _("Registration body staff")
    EDUCATION = "education", _("Education bureau staff (kindergarten nursery classes)")
    PUBLIC_SECURITY = "public_security", _("Public security staff (security staff and bans)")
    FIRE = "fire", _("Fire and rescue staff (fire inspections)")
    MARKET_REGULATION = "market_regulation", _("Market regulation staff (food safety and prices)")
    MCH = "mch", _("Maternal and child health institution staff (health evaluations)")
    ASSESSOR = "assessor", _("Quality assessor (bureau or third-party body)")


_VIEW = "view"

# app_label -> model -> actions; "view" alone makes a role read-only for that model.
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    Role.COUNTY_HEALTH: {
        "registry": {
            "region": (_VIEW,),
            "authority": (_VIEW,),
            "institution": (_VIEW, "change"),
            "registration": (_VIEW,),
            "registrationconflict": (_VIEW, "change"),
            "pushroute": (_VIEW,),
            "user": (_VIEW,),
            "calendarday": (_VIEW,),
        },
    },
    # A head is told when deadlines slip; the role adds no permissions of its own: a head is also given
    # the staff role of their bureau.
    Role.BUREAU_HEAD: {"registry": {"region": (_VIEW,)}},
    Role.SUPERVISING_HEALTH: {
        "registry": {
            "region": (_VIEW,),
            "authority": (_VIEW,),
            "institution": (_VIEW,),
            "registration": (_VIEW,),
            "registrationconflict": (_VIEW,),
            "pushroute": (_VIEW, "add", "change"),
            "user": (_VIEW,),
            "calendarday": (_VIEW,),
        },
    },
    Role.CONFERENCE_OFFICE: {
        "registry": {"region": (_VIEW,), "authority": (_VIEW,), "user": (_VIEW,)},
    },
    Role.PUBLIC_SECURITY: {
        "registry": {"region": (_VIEW,), "authority": (_VIEW,), "institution": (_VIEW,)},
    },
    Role.FIRE: {
        "registry": {"region": (_VIEW,), "authority": (_VIEW,), "institution": (_VIEW,)},
    },
    Role.MARKET_REGULATION: {
        "registry": {"region": (_VIEW,), "authority": (_VIEW,), "institution": (_VIEW,)},
    },
    Role.MCH: {
        "registry": {"region": (_VIEW,), "authority": (_VIEW,), "institution": (_VIEW,)},
    },
    Role.EDUCATION: {
        "registry": {
            "region": (_VIEW,),
            "authority": (_VIEW,),
            "institution": (_VIEW,),
            "registration": (_VIEW,),
        },
    },
    Role.REGISTRATION_BODY: {
        "registry": {
            "region": (_VIEW,),
            "authority": (_VIEW,),
            "institution": (_VIEW,),
            "registration": (_VIEW,),
        },
    },
}


def register_permissions(role: str, app_label: str, models_actions: dict[str, tuple[str, ...]]) -> None:
    """Let another app add its models to a role (called from its AppConfig.ready)."""
    ROLE_PERMISSIONS.setdefault(role, {}).setdefault(app_label, {}).update(models_actions)
