"""Public pages of supervision (mounted in config.public_urls under /public/)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("draws/", public_views.draw_list, name="draws"),
    path("draws/<int:pk>/", public_views.draw_page, name="draw"),
    path("draws/<int:pk>/inputs.json", public_views.draw_inputs, name="draw-inputs"),
    path("institutions/<str:uscc>/", public_views.institution_page, name="institution"),
    path("complaints/new/", public_views.complaint_new, name="complaint-new"),
    path("complaints/track/", public_views.complaint_track, name="complaint-track"),
    path("complaints/<str:code>/", public_views.complaint_page, name="complaint"),
]
