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
    registry.add_audit_actions(
        "core",
        {
            "demo.load": _("载入演示数据"),
            "district.generate": _("生成区级测试数据"),
            "account.superuser": _("创建系统管理员"),
            "account.token_issue": _("签发接口令牌"),
            "account.token_revoke": _("撤销接口令牌"),
        },
    )
    registry.add_audit_action_family("core", "admin.", _("管理后台操作"))
