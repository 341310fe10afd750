from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = _("Joint conference")

    def ready(self):
        from registry.roles import Role, register_permissions

        register_permissions(
            Role.CONFERENCE_OFFICE,
            "conference",
            {
                "conference": ("view", "change", "run"),
                "memberunit": ("view", "add", "change", "delete"),
                "roleassignment": ("view", "add", "change"),
                "meeting": ("view", "add", "change", "delete"),
                "decideditem": ("view", "add", "change", "delete"),
                "task": ("view", "add", "change"),
                "progressreport": ("view", "add"),
                "escalation": ("view",),
                "plenaryshortfall": ("view",),
                "bulletin": ("view", "add"),
            },
        )
        register_permissions(
            Role.CONFERENCE_LIAISON,
            "conference",
            {
                "conference": ("view",),
                "memberunit": ("view",),
                "roleassignment": ("view",),
                "meeting": ("view",),
                "decideditem": ("view",),
                "task": ("view",),
                "progressreport": ("view", "add"),
                "bulletin": ("view",),
            },
        )
        register_permissions(
            Role.SUPERVISING_HEALTH,
            "conference",
            {
                "conference": ("view",),
                "memberunit": ("view",),
                "meeting": ("view",),
                "task": ("view",),
                "progressreport": ("view",),
                "bulletin": ("view",),
            },
        )
