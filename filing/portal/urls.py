from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="portal/login.html", redirect_authenticated_user=True, next_page="portal:home"
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:login"), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/confirm/<str:token>/", views.signup_confirmed, name="signup-confirm"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("institutions/<int:pk>/filings/start/", views.start, name="start"),
    path("institutions/<int:pk>/annual-report/", views.annual_report, name="annual-report"),
    path("institutions/<int:pk>/termination/", views.termination, name="termination"),
    path("institutions/<int:pk>/colleagues/", views.colleagues, name="colleagues"),
    path("filings/<int:pk>/", views.filing_page, name="filing"),
]
