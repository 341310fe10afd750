from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from filing.services import terminations_take_effect


class Command(BaseCommand):
    help = _(
        "End the filing of every institution whose confirmed termination date has come (safe to run twice)."
    )

    def handle(self, *args, **options):
        ended = terminations_take_effect()
        self.stdout.write(_("%(n)d filings ended.") % {"n": ended})
