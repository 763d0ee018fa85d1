"""What the voting app puts in the registries (core.registry): its links on a compound,
the owner's voting right on their home card, its demo."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gongzhi.core import capabilities, registry
from gongzhi.voting.capabilities import VotingCap


@dataclass
class VotingRight:
    """您的表决权: rooms and exclusive area an owner votes with in one compound (no parking)."""

    rooms: int
    area: Decimal
    heads: int
    via_co_owner: int  # rooms whose designated voter is another co-owner


def voting_right(user, card) -> VotingRight | None:
    """On an owner's home card: what they vote with (parking spaces do not count)."""
    from gongzhi.places.models import RoomUse

    if card.kind != "owner":
        return None
    voting = [o for o in card.ownerships if o.room.use != RoomUse.PARKING]
    if not voting:
        return None
    own_vote = [o for o in voting if o.is_designated_voter]
    return VotingRight(
        rooms=len(own_vote),
        area=sum((o.room.exclusive_area for o in own_vote), Decimal("0.00")),
        heads=1 if own_vote else 0,
        via_co_owner=len(voting) - len(own_vote),
    )


def _demo(ctx) -> None:
    from gongzhi.core.demo import story_002
    from gongzhi.voting.demo import load_voting_demo

    # story 002: the election and the elevator vote, one open assembly
    load_voting_demo(ctx.worlds[story_002.KEY].compound)


def register() -> None:
    registry.add_feature(
        "voting", _("业主大会表决与业委会选举"),
        _("按《民法典》第二百七十八条,按专有面积和业主人数计票;每张选票有回执码,"
          "选票清单和哈希公开,任何人都可以复核。"),
        order=30,
    )  # fmt: skip
    registry.add_compound_link(
        "voting", _("业主大会表决"), "voting:assemblies", needs={VotingCap.VOTE, VotingCap.MANAGE_VOTES},
        order=50,
    )  # fmt: skip
    registry.add_compound_link(
        "voting", _("换届选举"), "voting:elections", needs={VotingCap.MANAGE_VOTES}, order=51
    )
    registry.add_card_section("voting", "voting_right", "voting/_card_voting_right.html",
                              voting_right, order=10)  # fmt: skip
    registry.add_demo_loader("voting", _demo, order=10)
    registry.add_audit_actions(
        "voting",
        {
            "voting.policy.update": _("修改表决规则"),
            "assembly.create": _("新建业主大会会议"),
            "assembly.update": _("修改业主大会会议"),
            "assembly.question.add": _("添加表决事项"),
            "assembly.question.remove": _("删除表决事项"),
            "assembly.publish_roll": _("公布表决名册"),
            "assembly.roll.correct": _("更正表决名册"),
            "assembly.open": _("开始表决"),
            "assembly.close": _("结束表决"),
            "assembly.publish_result": _("公布表决结果"),
            "ballot.cast": _("投票"),
            "ballot.change": _("改票"),
            "ballot.proxy.register": _("登记委托投票"),
            "ballot.proxy.accept": _("核验通过委托"),
            "ballot.proxy.reject": _("退回委托"),
            "ballot.paper.enter": _("录入纸质选票"),
            "ballot.paper.confirm": _("复核纸质选票"),
            "ballot.paper.reject": _("退回纸质选票"),
            "election.create": _("新建换届选举"),
            "election.nominate": _("提名候选人"),
            "election.check": _("审查候选人"),
            "election.publish_slate": _("公布候选人名单"),
            "election.start_ballot": _("开始选举投票"),
            "election.count": _("计票"),
            "election.file": _("选举结果备案"),
            "election.filing_reminder": _("备案提醒"),
        },
    )
    from gongzhi.bodies import rules as roles

    capabilities.grant([capabilities.OWNER], {VotingCap.VOTE})  # 业主 vote (民法典第278条)
    capabilities.grant(  # those who run assemblies and elections
        [*roles.COMMUNITY_STAFF, *roles.OWNERS_CHAIRS], {VotingCap.MANAGE_VOTES}
    )
