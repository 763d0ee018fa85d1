from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "gongzhi.bodies"
    label = "bodies"
    verbose_name = "组织"

    def ready(self):
        from gongzhi.bodies.permissions import membership_grants
        from gongzhi.core import access

        access.register_provider(membership_grants)
