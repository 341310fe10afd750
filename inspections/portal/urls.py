from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("institutions/<int:pk>/", views.institution_page, name="institution"),
]
