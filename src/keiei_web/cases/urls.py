"""Case URLs. Every page about one case takes `case_id` (the leak test relies on this name)."""

from django.urls import path

from keiei_web.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/history/", views.case_history, name="history"),
    path("<int:case_id>/do/<slug:transition>/", views.case_transition, name="transition"),
    path("<int:case_id>/bank-response/", views.bank_response, name="bank_response"),
    path("<int:case_id>/monitoring/<int:seq>/report/", views.monitoring_report, name="monitoring_report"),
    path("<int:case_id>/claims/<int:claim_id>/approve/", views.claim_approve, name="claim_approve"),
    path("<int:case_id>/documents/", views.documents, name="documents"),
]
