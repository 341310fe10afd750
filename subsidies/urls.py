from django.urls import path

from . import views

app_name = "subsidy-files"

urlpatterns = [
    path("evidence/<int:pk>/", views.application_evidence, name="evidence"),
]
