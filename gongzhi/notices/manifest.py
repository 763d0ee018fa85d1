"""What the notices app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import capabilities, registry
from gongzhi.notices.capabilities import NoticeCap


def register() -> None:
    registry.add_feature(
        "notices",
        _("公告栏"),
        _("小区的通知、表决和选举结果都贴在这里,手机上随时可看。"),
        order=40,
    )
    registry.add_compound_link("notices", _("公告栏"), "notices:board", order=10)
    registry.add_audit_actions("notices", {"notice.post": _("发布公告")})
    from gongzhi.bodies import rules as roles

    capabilities.grant(
        [*roles.COMMUNITY_STAFF, *roles.BRANCH_LEADS, *roles.GRID_WORKERS, *roles.OWNERS_CHAIRS],
        {NoticeCap.POST_NOTICE},
    )
