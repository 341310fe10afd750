from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("institutions/<int:pk>/", views.roster_page, name="roster"),
    path("institutions/<int:pk>/add/", views.hire_page, name="hire"),
    path("institutions/<int:pk>/import/", views.import_page, name="import"),
    path("institutions/<int:pk>/import/template.xlsx", views.template_download, name="template"),
    path("institutions/<int:pk>/people/<int:person_pk>/", views.person_page, name="person"),
]
