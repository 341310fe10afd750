from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs):
    from .services import roles_sync

    roles_sync()


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="registry.roles_sync")
