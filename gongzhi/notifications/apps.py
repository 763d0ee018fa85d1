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
        # Any other write of a notification (the admin, a script) drops the cached count too.
        from django.db.models.signals import post_delete, post_save

        from gongzhi.notifications.models import Notification

        post_save.connect(_forget_unread, sender=Notification, dispatch_uid="unread-save")
        post_delete.connect(_forget_unread, sender=Notification, dispatch_uid="unread-delete")
        checks.register(check_channels, checks.Tags.compatibility)
        from gongzhi.core import schedules

        schedules.register(
            "notifications.deliver_stale", "gongzhi.notifications.tasks.deliver_stale", 10
        )


def _forget_unread(sender, instance, **kwargs) -> None:
    from gongzhi.notifications.selectors import forget_unread

    forget_unread([instance.recipient_id])


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
