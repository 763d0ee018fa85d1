from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "gongzhi.lists"
    label = "lists"
