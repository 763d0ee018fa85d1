from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "gongzhi.roster"
    label = "roster"
