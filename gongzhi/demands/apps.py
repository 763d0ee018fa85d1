from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "gongzhi.demands"
    label = "demands"
    verbose_name = "诉求"

    def ready(self):
        from gongzhi.demands import manifest

        manifest.register()
        from gongzhi.core import schedules
        from gongzhi.demands import notify

        schedules.register(
            "demands.escalate_overdue", "gongzhi.demands.jobs.escalate_overdue_job", minutes=5
        )
        schedules.register(
            "demands.close_unrated", "gongzhi.demands.jobs.close_unrated_job", minutes=60
        )
        notify.register_kinds()
