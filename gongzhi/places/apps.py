from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "gongzhi.places"
    label = "places"

    def ready(self):
        from gongzhi.places import manifest

        manifest.register()
