from django.urls import path

from keiei_web.banks import views

app_name = "banks"
urlpatterns = [path("", views.dashboard, name="dashboard")]
