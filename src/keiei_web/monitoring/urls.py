"""Monitoring URLs of one case (under /cases/<case_id>/monitoring/: the leak test relies on case_id)."""

from django.urls import path

from keiei_web.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("<int:case_id>/monitoring/", views.sessions, name="sessions"),
    path("<int:case_id>/monitoring/<int:seq>/", views.report, name="report"),
    path("<int:case_id>/monitoring/<int:seq>/upload/", views.upload, name="upload"),
    path("<int:case_id>/monitoring/<int:seq>/progress/", views.progress, name="progress"),
    path("<int:case_id>/monitoring/uploads/<int:upload_id>/", views.preview, name="preview"),
]
