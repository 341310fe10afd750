from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _forget_calendar(**kwargs):
    from .workdays import forget_calendar

    forget_calendar()


def _sync_roles(**kwargs):
    from .services import roles_sync

    roles_sync()


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Registry")

    def ready(self):
        from celery.signals import task_prerun

        from . import workbench
        from .selectors import monthly_on_time, monthly_registrations

        workbench.register(
            workbench.Task(
                _("Registered, not yet filed"), "registry.institution", {"filing_status__exact": "unfiled"}
            ),
            workbench.Task(
                _("Registration conflicts open"),
                "registry.registrationconflict",
                {"resolved_at": "0"},
                urgent=True,
            ),
        )
        workbench.register_series(
            workbench.Series(_("Registrations pushed"), monthly_registrations),
            workbench.Series(_("On-time push rate"), monthly_on_time, rate=True),
        )

        post_migrate.connect(_sync_roles, dispatch_uid="registry.roles_sync")
        # Each task, and the process that just edited a day, reads the holiday table afresh.
        task_prerun.connect(_forget_calendar, dispatch_uid="registry.calendar_task")
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_calendar, sender="registry.CalendarDay", dispatch_uid=f"registry.calendar_{signal}"
            )
