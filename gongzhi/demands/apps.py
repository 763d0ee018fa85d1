from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "gongzhi.demands"
    label = "demands"
