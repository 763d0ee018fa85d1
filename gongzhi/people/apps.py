from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "gongzhi.people"
    label = "people"
    verbose_name = "人员"

    def ready(self):
        from gongzhi.core import access
        from gongzhi.people.permissions import residence_grants

        access.register_provider(residence_grants)
