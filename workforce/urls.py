from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("scans/<slug:kind>/<int:pk>/", views.scan, name="scan"),
    path("bans/<int:pk>/decision/", views.ban_scan, name="ban-scan"),
]
