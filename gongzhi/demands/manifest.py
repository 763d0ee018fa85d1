"""What the demands app puts in the registries (core.registry): its navigation item, its
links on a compound, its figures on the home cards of those who see figures, its demo."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import access, capabilities, registry
from gongzhi.core.capabilities import Cap
from gongzhi.demands.capabilities import DemandCap
from gongzhi.demands.rules import ACTION_LABELS


def _has_grants(user) -> bool:
    return access.is_superuser(user) or bool(access.grants_for(user))


def _figures(path: str) -> dict:
    from gongzhi.demands.selectors import figures

    return figures(path)  # one aggregate query (the roll-up on PostgreSQL)


def _demo(ctx) -> None:
    from gongzhi.demands.demo import load_demands_demo

    load_demands_demo(ctx)  # stories 004 and 002: 58 suggestions / 48 handled, 21 wishes


def register() -> None:
    registry.add_feature(
        "demands", _("居民点单 · 支部派单 · 楼长接单"),
        _("有困难、有建议,在手机上说一声;党支部派给楼长或物业,办完由您来评价。"
          "没人响应,超时自动逐级上报(吹哨报到)。"),
        order=10,
    )  # fmt: skip
    registry.add_nav_item(
        "demands", _("诉求"), "demands:index", icon="demand", visible=_has_grants,
        namespace="demands", order=20,
    )  # fmt: skip
    link = registry.add_compound_link
    link("demands", _("反映诉求"), "demands:compound_new", needs={DemandCap.FILE_DEMAND}, order=30)
    link("demands", _("派单台"), "demands:board", needs={DemandCap.DISPATCH}, per_compound=False,
         order=40)  # fmt: skip
    link("demands", _("诉求设置"), "demands:settings", needs={DemandCap.DISPATCH}, order=41)
    link("demands", _("诉求二维码"), "demands:qr", needs={DemandCap.DISPATCH}, order=42)
    link("demands", _("待办诉求"), "demands:inbox", needs={DemandCap.HANDLE}, per_compound=False,
         order=45)  # fmt: skip
    registry.add_figures(
        "demands", "demands", _("诉求办理情况"), _figures,
        template="demands/_card_figures.html", needs=Cap.VIEW_FIGURES, order=10,
    )  # fmt: skip
    registry.add_demo_loader("demands", _demo, order=30)
    registry.add_audit_actions(
        "demands",
        {
            "demand.file": _("提交诉求"),
            "micro_wish.file": _("提交微心愿"),
            **{f"demand.{action}": label for action, label in ACTION_LABELS.items()},
            "demand.comment": _("诉求留言"),
            "demand.follow": _("关注诉求"),
            "demand.unfollow": _("取消关注诉求"),
            "demand.overdue_at_top": _("诉求超时已到最高层级"),
            "demand_category.create": _("新建诉求类别"),
            "demand_category.update": _("修改诉求类别"),
            "demand_chain.set": _("设置吹哨报到链"),
            "demand_routing.create": _("新建派单规则"),
            "demand_routing.delete": _("删除派单规则"),
        },
    )
    _grant()


def _grant() -> None:
    """Who holds the demands app's capabilities (bodies.rules names the role groups)."""
    from gongzhi.bodies import rules as roles

    capabilities.grant(  # 支部派单: community staff, branch leads, grid workers
        [*roles.COMMUNITY_STAFF, *roles.BRANCH_LEADS, *roles.GRID_WORKERS], {DemandCap.DISPATCH}
    )
    capabilities.grant(  # 接单: those a demand is dispatched to, and 双报到 party members
        [
            *roles.BUILDING_LEADERS, *roles.OWNERS_CHAIRS, *roles.OWNERS_MEMBERS,
            *roles.PROPERTY_MANAGERS, *roles.PROPERTY_CLERKS, *roles.PARTNER_LIAISONS,
            *roles.VOLUNTEER_CAPTAINS, capabilities.DUAL_REGISTERED,
        ],
        {DemandCap.HANDLE},
    )  # fmt: skip
    capabilities.grant([capabilities.RESIDENT, capabilities.OWNER], {DemandCap.FILE_DEMAND})
    capabilities.appoints(DemandCap.DISPATCH, DemandCap.HANDLE)  # dispatchers name handlers
