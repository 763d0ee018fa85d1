from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "gongzhi.bodies"
    label = "bodies"
    verbose_name = _("组织")

    def ready(self):
        from gongzhi.bodies import manifest

        manifest.register()
        from gongzhi.bodies.permissions import (
            membership_grants,
            membership_holders,
            membership_places,
        )
        from gongzhi.core import access
        from gongzhi.people.permissions import register_person_places

        access.register_provider(membership_grants)
        access.register_holder_provider(membership_holders)
        register_person_places(membership_places)
