from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "gongzhi.notices"
    label = "notices"

    def ready(self):
        from gongzhi.notices import manifest

        manifest.register()
