from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gongzhi.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from gongzhi.notifications import manifest

        manifest.register()
        checks.register(check_channels, checks.Tags.compatibility)
        from gongzhi.core import schedules

        schedules.register(
            "notifications.deliver_stale", "gongzhi.notifications.tasks.deliver_stale", 10
        )


def check_channels(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A misspelt NOTIFY_CHANNELS entry would silently send nothing: refuse it at start."""
    from gongzhi.notifications import conf, rules
    from gongzhi.notifications.channels import registered

    known = {rules.INAPP, *registered()}
    return [
        checks.Error(
            f"NOTIFY_CHANNELS names an unknown channel {name!r}.",
            hint=f"Known channels: {', '.join(sorted(known))}.",
            id="notifications.E001",
        )
        for name in conf.enabled_channels()
        if name not in known
    ]
