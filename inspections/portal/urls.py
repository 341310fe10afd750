from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("institutions/<int:pk>/", views.institution_page, name="institution"),
    path("institutions/<int:pk>/assessments/<int:assessment_pk>/", views.assessment_page, name="assessment"),
]
