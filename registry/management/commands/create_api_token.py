from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.models import Authority
from registry.services import api_client_create


class Command(BaseCommand):
    help = (
        "Create an API client for the authority of KIND in region CODE and print its token alone on the last "
        "line. The token is stored only as a hash: keep it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="Division code of the authority, e.g. 441802")
        parser.add_argument("--kind", required=True, choices=Authority.Kind.values, help="Authority kind")
        parser.add_argument("--name", default="", help="A name for the client system")

    def handle(self, *args, region, kind, name, **options):
        authority = Authority.objects.filter(kind=kind, region_id=region).first()
        if authority is None:
            raise CommandError(
                _("No %(kind)s authority in region %(region)s: load the demo or add it in the admin.")
                % {"kind": kind, "region": region}
            )
        client, token = api_client_create(authority=authority, name=name or f"{authority.name} API")
        self.stdout.write(
            _("API client %(client)s created for %(authority)s.") % {"client": client, "authority": authority}
        )
        self.stdout.write(token)
