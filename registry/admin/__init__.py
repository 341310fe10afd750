from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import clients, places, registrations

admin.site.site_header = _("Childcare registration and filing platform")
admin.site.site_title = _("Childcare platform")
admin.site.index_title = _("Supervision workbench")

__all__ = ["clients", "places", "registrations"]
