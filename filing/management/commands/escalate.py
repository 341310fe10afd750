import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Walk every escalation ladder once, in-process (the same code as the daily jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        for path in settings.ESCALATION_TASKS:
            fired = import_string(path)(today=today.isoformat() if today else "")
            for ladder, count in fired.items():
                self.stdout.write(f"{path} {ladder}: {count}")
