from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "keiei_web.monitoring"
    label = "monitoring"
    verbose_name = _("伴走支援（実績）")

    def ready(self) -> None:
        from keiei_web.cases import monitoringport
        from keiei_web.monitoring.port import MonitoringReports

        monitoringport.register(MonitoringReports())
