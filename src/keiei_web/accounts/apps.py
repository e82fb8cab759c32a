from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keiei_web.accounts"
    label = "accounts"
    verbose_name = _("利用者と組織")

    def ready(self) -> None:
        from keiei_web.accounts import lockout  # noqa: F401  (connects the lockout log line)
