from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "gongzhi.lists"
    label = "lists"
    verbose_name = _("清单")

    def ready(self):
        from gongzhi.lists import manifest

        manifest.register()
        from gongzhi.lists import notify

        notify.register_kinds()
