from django.urls import path

from keiei_web.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("advise/", views.advise_view, name="advise"),
    path("subsidy/", views.subsidy_view, name="subsidy"),
    path("councils/", views.councils_view, name="councils"),
    path("consult/", views.consult_view, name="consult"),
    path("consult/received/", views.received, name="received"),
    path("privacy/", views.privacy, name="privacy"),
]
