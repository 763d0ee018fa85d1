from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongzhi.audit"
    label = "audit"

    def ready(self):
        from gongzhi.audit import manifest

        manifest.register()
