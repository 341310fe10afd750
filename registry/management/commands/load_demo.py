from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Load the demo: seed places and their counties, authorities, sample institutions, the Shiyan joint "
        "conference and demo users (password 'demo'). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Create the demo users even though DEBUG is off."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _("DEBUG is off: refusing to create demo users with a known password. Use --force to insist.")
            )
        # Each app contributes its own demo data through an optional `demo.load`, in INSTALLED_APPS
        # order, so the registry comes before the apps that build on it.
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
