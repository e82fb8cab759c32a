"""The council's portfolio of cases in monitoring (/council/monitoring/)."""

from django.urls import path

from keiei_web.monitoring import views

app_name = "portfolio"
urlpatterns = [path("", views.portfolio_page, name="portfolio")]
