from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .health import healthz, readyz


def favicon(request):
    """Pages that name no icon (the API docs, a file opened directly) still find one. Resolved per request:
    the hashed name of a static file is known only once the files are collected."""
    return HttpResponsePermanentRedirect(static("platform/favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/public/", include("filing.public_api_urls")),
    path("api/v1/", include("registry.api.urls")),
    path("filing/", include("filing.urls")),
    path("portal/staff/", include("workforce.portal.urls")),
    path("portal/supervision/", include("inspections.portal.urls")),
    path("portal/subsidies/", include("subsidies.portal.urls")),
    path("portal/", include("filing.portal.urls")),
    path("staff/", include("workforce.urls")),
    path("inspections/", include("inspections.field.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("notifications/", include("notifications.urls")),
    path("public/", include("config.public_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("favicon.ico", favicon, name="favicon"),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
