from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "gongzhi.people"
    label = "people"
    verbose_name = _("人员")

    def ready(self):
        from gongzhi.people import manifest

        manifest.register()
        from gongzhi.core import access
        from gongzhi.people.permissions import residence_grants

        access.register_provider(residence_grants)
