from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = _("Staff register")

    def ready(self):
        from filing import staff_register
        from registry.roles import Role, register_permissions

        from .selectors import staff_counts

        staff_register.install(staff_counts)

        register_permissions(
            Role.COUNTY_HEALTH,
            "workforce",
            {
                "person": ("view",),
                "employment": ("view",),
                "certificate": ("view",),
                "healthcheck": ("view",),
                "training": ("view",),
                "nocriminalrecord": ("view",),
                "documentview": ("view",),
                "ban": ("view", "add"),
                "certificatetype": ("view", "add", "change"),
            },
        )
        register_permissions(
            Role.SUPERVISING_HEALTH,
            "workforce",
            {
                "person": ("view",),
                "employment": ("view",),
                "certificate": ("view",),
                "healthcheck": ("view",),
                "training": ("view",),
                "nocriminalrecord": ("view",),
                "documentview": ("view",),
                "ban": ("view",),
                "certificatetype": ("view", "add", "change"),
            },
        )
        register_permissions(
            Role.PUBLIC_SECURITY, "workforce", {"employment": ("view",), "ban": ("view", "add")}
        )
