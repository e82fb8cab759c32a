from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notifications: in the app (the bell) and by e-mail, when a case moves or a deadline nears.

    It listens to the case services (`services.EVENT_LISTENERS`, the one place every state change
    is recorded), so no view can forget to notify and the cases app never imports this one.
    """

    name = "keiei_web.notices"
    label = "notices"
    verbose_name = _("通知")

    def ready(self) -> None:
        from keiei_web.cases import services
        from keiei_web.notices.events import on_event

        if on_event not in services.EVENT_LISTENERS:
            services.EVENT_LISTENERS.append(on_event)
