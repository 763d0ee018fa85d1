from django.apps import AppConfig
from django.utils.translation import gettext_lazy

FILING_REMINDER_JOB = "voting.filing_reminders"
FILING_REMINDER_KIND = "voting.filing_reminder"


class VotingConfig(AppConfig):
    name = "gongzhi.voting"
    label = "voting"
    verbose_name = gettext_lazy("业主大会表决与换届选举")

    def ready(self) -> None:
        from gongzhi.voting import manifest

        manifest.register()
        from gongzhi.voting import manifest

        manifest.register()
        try:  # the periodic-job registry of core (``manage.py setup_schedules``)
            from gongzhi.core import schedules
        except ImportError:  # pragma: no cover - a tree without the registry
            pass
        else:
            # Daily: remind managers of committee elections not filed within 30 days.
            schedules.register(
                FILING_REMINDER_JOB, "gongzhi.voting.tasks.run_filing_reminders", 24 * 60
            )
        try:
            from django.utils.translation import gettext_lazy as _

            from gongzhi.notifications.kinds import register_kind
        except ImportError:  # pragma: no cover - a tree without in-app notifications
            return
        from gongzhi.voting.services.reminders import filing_reminder_words

        register_kind(FILING_REMINDER_KIND, _("换届选举备案提醒"), words=filing_reminder_words)
