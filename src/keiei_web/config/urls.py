"""The URL map (docs/web.md lists it). Case pages live under /cases/<case_id>/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from keiei_web import health

admin.site.site_header = _("keiei 管理画面")
admin.site.site_title = _("keiei 管理画面")
admin.site.index_title = _("協議会の管理")

urlpatterns = [
    path("", include("keiei_web.ui.urls")),
    # The front door: pages anyone may read without an account (docs/web.md "Public pages").
    path("guide/", include("keiei_web.public.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html", success_url="/"),
        name="password_change",
    ),
    path("cases/", include("keiei_web.cases.urls")),
    path("cases/", include("keiei_web.plans.urls")),
    path("cases/", include("keiei_web.monitoring.urls")),
    path("council/monitoring/", include("keiei_web.monitoring.portfolio_urls")),
    path("council/", include("keiei_web.council.urls")),
    path("bank/", include("keiei_web.banks.urls")),
    path("notices/", include("keiei_web.notices.urls")),
    path("admin/", admin.site.urls),
    # For load balancers (docs/deploy.md): no login, no secrets; 200 or 503.
    path("healthz", health.healthz, name="healthz"),
]
