from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from registry.roles import Role, register_permissions

        from .schedules import install_default_schedules

        post_migrate.connect(install_default_schedules, sender=self, dispatch_uid="notifications.schedules")
        webhooks = {
            "webhooksubscription": ("view", "add", "change"),
            "delivery": ("view", "change"),
            "outboxevent": ("view",),
        }
        register_permissions(Role.COUNTY_HEALTH, "notifications", webhooks)
        register_permissions(Role.SUPERVISING_HEALTH, "notifications", webhooks)
