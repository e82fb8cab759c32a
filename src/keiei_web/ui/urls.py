from django.urls import path

from keiei_web.ui import views

app_name = "ui"
urlpatterns = [path("", views.dashboard, name="dashboard")]
