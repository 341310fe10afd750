import datetime

from django.core.management.base import BaseCommand

from ...services.escalation import escalate


class Command(BaseCommand):
    help = "Walk the escalation ladders once (the same code as the daily job)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        fired = escalate(today=today)
        for ladder, count in fired.items():
            self.stdout.write(f"{ladder}: {count}")
