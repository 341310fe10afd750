import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.models import Region

from ...services.monthly_push import monthly_push, previous_month


def _month(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise CommandError(
            _("--month must be YYYY-MM, e.g. 2026-10; got “%(value)s”.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = "Run the monthly push (the same code as the scheduled job); default: the previous month."

    def add_arguments(self, parser):
        parser.add_argument("--month", type=_month, help="YYYY-MM (default: the previous month)")
        parser.add_argument("--region", default="", help="only this region's counties (a division code)")

    def handle(self, *args, month=None, region="", verbosity=1, **options):
        if region and not Region.objects.filter(pk=region).exists():
            raise CommandError(_("There is no region with the code “%(code)s”.") % {"code": region})
        month = month or previous_month()

        def progress(done, total):
            if verbosity > 1:
                self.stdout.write(f"  {done}/{total} counties")

        summary = monthly_push(month=month, region_code=region, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.month:%Y-%m}: {summary.counties} county reports, {summary.rollups} roll-ups, "
                f"{summary.notifications} new notifications, {summary.deliveries} webhook deliveries due"
            )
        )
