"""Recompute a random inspection draw from its published inputs alone (CONTRACT: exit 0 and `verified`
when the stored result matches; exit 1 naming each difference otherwise)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from inspections.models import Draw
from inspections.services import draw_problems


class Command(BaseCommand):
    help = "Recompute a random inspection draw from its published inputs and compare it with its result."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="the draw's number as on its public page")

    def handle(self, *args, **options):
        draw = Draw.objects.filter(pk=options["id"]).first()
        if draw is None:
            raise CommandError(f"No draw {options['id']}.", returncode=1)
        with translation.override("en"):
            problems = draw_problems(draw)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"draw {draw.pk} not verified: {len(problems)} difference(s)", returncode=1)
        self.stdout.write("verified")
