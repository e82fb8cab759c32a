from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "keiei_web.plans"
    label = "plans"
    verbose_name = _("経営改善計画")

    def ready(self) -> None:
        """Give the case workflow its way to plans (keiei_web.cases.planport): cases never imports plans."""
        from keiei_web.cases import planport
        from keiei_web.plans.port import DatabasePlans

        planport.register(DatabasePlans())
