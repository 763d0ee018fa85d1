"""What the voting app puts in the registries (core.registry): its links on a compound,
the owner's voting right on their home card, its demo."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry
from gongzhi.core.capabilities import Cap


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
    registry.add_compound_link(
        "voting", _("业主大会表决"), "voting:assemblies", needs={Cap.VOTE, Cap.MANAGE_VOTES},
        order=50,
    )  # fmt: skip
    registry.add_compound_link(
        "voting", _("换届选举"), "voting:elections", needs={Cap.MANAGE_VOTES}, order=51
    )
    registry.add_card_section("voting", "voting_right", "voting/_card_voting_right.html",
                              voting_right, order=10)  # fmt: skip
    registry.add_demo_loader("voting", _demo, order=10)
