from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "gongzhi.roster"
    label = "roster"

    def ready(self):
        from gongzhi.roster import manifest

        manifest.register()
