from django.core.management.base import BaseCommand

from filing.services.directory import directory_rebuild


class Command(BaseCommand):
    help = "Rebuild every row of the public directory (after a deployment; also runs nightly)."

    def handle(self, *args, **options):
        written = directory_rebuild()
        self.stdout.write(f"public directory: {written} rows written or removed")
