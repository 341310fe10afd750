"""Public pages of the filing app, under /public/ (no sign-in)."""

from django.urls import path

from . import public_views, views

app_name = "public"

urlpatterns = [
    path("", public_views.directory_page, name="directory"),
    path("counties/<str:code>/", public_views.county_page, name="county"),
    path("institutions.csv", public_views.directory_csv, name="directory-csv"),
    path("receipts/", views.receipt_lookup, name="receipt-lookup"),
    path("receipts/<str:code>/", views.receipt_check, name="receipt"),
]
