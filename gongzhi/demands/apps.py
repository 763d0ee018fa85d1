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
        self._forget_handlers_on_writes()

    @staticmethod
    def _forget_handlers_on_writes():
        """The dispatch board keeps a compound's handlers in the cache
        (web_selectors.HANDLERS_SECONDS): any write of what they are made of drops them."""
        from django.db.models.signals import post_delete, post_save

        from gongzhi.bodies.models import Body, Membership
        from gongzhi.demands.models import RoutingRule
        from gongzhi.demands.web_selectors import forget_handlers
        from gongzhi.people.models import Person

        for model in (Body, Membership, Person, RoutingRule):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_handlers, sender=model, dispatch_uid=f"handlers-{model.__name__}"
                )
