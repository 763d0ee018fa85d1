"""What the places app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import access, registry
from gongzhi.core.capabilities import Cap
from gongzhi.places.rules import LEVELS


def _has_places(user) -> bool:
    return access.is_superuser(user) or bool(access.grants_for(user))


def register() -> None:
    registry.add_nav_item(
        "places", _("小区"), "places:compound_list", icon="compound", visible=_has_places,
        namespace="places", order=10,
    )  # fmt: skip
    registry.add_compound_link("places", _("小区概况"), "places:compound_detail", order=0)
    registry.add_compound_link(
        "places", _("居民名册"), "places:resident_list", needs={Cap.VIEW_ROSTER}, order=90
    )
    registry.add_audit_actions(
        "places",
        {
            **{f"{level}.create": _("新建地点") for level, _prefix in LEVELS},
            "compound.update": _("修改小区信息"),
            "room.update": _("修改房屋信息"),
        },
    )
