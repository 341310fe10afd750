from django.urls import path

from .. import views as files
from . import views

app_name = "field"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("institutions/<int:institution_pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.inspection_page, name="inspection"),
    path("photos/<int:pk>/", files.photo, name="photo"),
    path("evidence/<int:pk>/", files.evidence, name="evidence"),
    path("assessment-evidence/<int:pk>/", files.assessment_evidence, name="assessment-evidence"),
    path("evaluations/<int:pk>/report/", files.evaluation_report, name="evaluation-report"),
]
