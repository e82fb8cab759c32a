from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "keiei_web.jobs"
    label = "jobs"
    verbose_name = _("作業（タスク）")
