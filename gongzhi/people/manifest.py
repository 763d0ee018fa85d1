"""What the people app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry


def register() -> None:
    registry.add_audit_actions(
        "people",
        {
            "account.create": _("开通账号"),
            "person.create": _("登记人员"),
            "person.id_numbers_shown": _("显示完整身份证号"),
            "household.add": _("登记住户"),
            "resident.add": _("登记居民"),
            "ownership.add": _("登记业主"),
            "ownership.designate_voter": _("指定表决人"),
        },
    )
