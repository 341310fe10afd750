from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from registry.holidays import load_preset
from registry.models import CalendarDay


class Command(BaseCommand):
    help = _(
        "Add the holidays and weekend workdays the installed chinesecalendar package knows and the table "
        "lacks; days already in the table (entered in the admin) are kept."
    )

    def handle(self, *args, **options):
        added = load_preset(CalendarDay)
        self.stdout.write(_("%(n)d days added to the holiday calendar.") % {"n": added})
