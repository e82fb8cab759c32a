from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "keiei_web.plans"
    label = "plans"
    verbose_name = _("経営改善計画")
