from django.urls import path

from . import views

app_name = "registry-api"

urlpatterns = [
    path("registrations/", views.RegistrationListCreate.as_view(), name="registration-list"),
    path("registrations/batch/", views.RegistrationBatch.as_view(), name="registration-batch"),
    path("registrations/<str:uscc>/", views.RegistrationDetail.as_view(), name="registration-detail"),
]
