from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The pages anyone may read without an account (the front door for business owners)."""

    name = "keiei_web.public"
    label = "public"
    verbose_name = _("公開ページ・相談の申込み")
