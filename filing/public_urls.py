"""Public pages of the filing app, under /public/ (no sign-in)."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("receipts/", views.receipt_lookup, name="receipt-lookup"),
    path("receipts/<str:code>/", views.receipt_check, name="receipt"),
]
