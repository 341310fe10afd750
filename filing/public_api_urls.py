from django.urls import path

from .public_api import PublicInstitutionList

app_name = "public-api"

urlpatterns = [path("institutions/", PublicInstitutionList.as_view(), name="institution-list")]
