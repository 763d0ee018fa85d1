from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"

    def ready(self):
        from gongzhi.core import manifest

        manifest.register()
