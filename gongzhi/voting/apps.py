from django.apps import AppConfig
from django.utils.translation import gettext_lazy

FILING_REMINDER_JOB = "voting.filing_reminders"
FILING_REMINDER_KIND = "voting.filing_reminder"


class VotingConfig(AppConfig):
    name = "gongzhi.voting"
    label = "voting"
    verbose_name = gettext_lazy("业主大会表决与换届选举")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from gongzhi.core import schedules
        from gongzhi.notifications.kinds import register_kind
        from gongzhi.voting import manifest, notify
        from gongzhi.voting.services.reminders import filing_reminder_words

        manifest.register()
        # Daily: remind managers of committee elections not filed within 30 days.
        schedules.register(
            FILING_REMINDER_JOB, "gongzhi.voting.tasks.run_filing_reminders", 24 * 60
        )
        register_kind(FILING_REMINDER_KIND, _("换届选举备案提醒"), words=filing_reminder_words)
        register_kind(notify.PROXY_PENDING_KIND, _("委托待核验"), words=notify.proxy_pending_words)
        register_kind(
            notify.PROXY_REVIEWED_KIND, _("委托核验结果"), words=notify.proxy_reviewed_words
        )
