from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "gongzhi.lists"
    label = "lists"
    verbose_name = "清单"

    def ready(self):
        from gongzhi.lists import notify

        notify.register_kinds()
