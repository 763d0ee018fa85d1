"""What the bodies app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry


def register() -> None:
    registry.add_audit_actions(
        "bodies",
        {
            "body.create": _("成立组织"),
            "body.dissolve": _("撤销组织"),
            "membership.appoint": _("任命成员"),
            "membership.end": _("结束任职"),
            "central_household.link": _("党员中心户联系住户"),
            "party_member.register": _("登记党员"),
        },
    )
