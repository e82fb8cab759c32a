from django.urls import path

from keiei_web.council import views

app_name = "council"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases.csv", views.export_csv, name="export_csv"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation"),
]
