from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("institutions/<int:pk>/recognition/", views.recognition_page, name="recognition"),
    path("institutions/<int:pk>/programmes/", views.programmes_page, name="programmes"),
]
