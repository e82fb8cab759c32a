from django.urls import path

from keiei_web.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:notice_id>/", views.open_notice, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="settings"),
]
