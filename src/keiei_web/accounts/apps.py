from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keiei_web.accounts"
    label = "accounts"
    verbose_name = _("利用者と組織")
