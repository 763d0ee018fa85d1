"""What core itself puts in the registries (core.registry): the home page and the admin."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import access, registry


def register() -> None:
    registry.add_nav_item(
        "core", _("首页"), "core:home", icon="home", visible=lambda user: True,
        namespace="core", active_url_name="home", order=0,
    )  # fmt: skip
    registry.add_nav_item(
        "core", _("管理后台"), "admin:index", icon="admin", visible=access.is_superuser,
        order=1000,
    )  # fmt: skip
