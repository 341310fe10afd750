from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import calendar, clients, places, registrations

admin.site.site_header = _("Childcare registration and filing platform")
admin.site.site_title = _("Childcare platform")
admin.site.index_title = _("Supervision workbench")
# The menu column would take a quarter of a 1366 px screen from every list; the home page and the
# breadcrumbs lead everywhere it does.
admin.site.enable_nav_sidebar = False

__all__ = ["calendar", "clients", "places", "registrations"]
