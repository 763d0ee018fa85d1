"""notices.permissions in the matrix: who posts on a compound's board and who reads what.

A public notice is read by whoever sees its compound; a notice for an audience (here
``voting.manage``: a reminder for those who run the votes) only by holders of that
capability there. Notices are per compound: the places are A, B and Z.
"""

from types import SimpleNamespace

from gongzhi.notices import permissions as p
from gongzhi.notices import services
from gongzhi.voting.capabilities import VotingCap
from tests.permission_matrix.framework import Check, found
from tests.permission_matrix.tables import COMPOUND_PLACES, VIEW_PLACE, compound_at, holding

_SEE = {place: roles for place, roles in holding(VIEW_PLACE).items() if place in COMPOUND_PLACES}
_VOTE_MANAGERS = {"A": frozenset({"community_worker", "owners_chair"}),
                  "B": frozenset({"community_worker"}), "Z": frozenset()}  # fmt: skip


def build(cast):
    public, staff = {}, {}
    for place in COMPOUND_PLACES:
        compound = compound_at(cast, place)
        public[place] = services.notice_post(actor=None, compound=compound, title="停水通知")
        staff[place] = services.notice_post(
            actor=None, compound=compound, title="备案提醒", audience_cap=VotingCap.MANAGE_VOTES
        )
    return SimpleNamespace(cast=cast, public=public, staff=staff)


PREDICATES = {
    "can_post_notice": Check(
        lambda u, w, place: p.can_post_notice(u, compound_at(w.cast, place)),
        {  # community staff, the branch secretary, the owners' committee chair
            "A": frozenset({"community_worker", "secretary", "owners_chair"}),
            "B": frozenset({"community_worker"}),
            "Z": frozenset(),
        },
    ),
    "can_view_notice": Check(lambda u, w, place: p.can_view_notice(u, w.public[place]), _SEE),
    "can_view_notice[for vote managers]": Check(
        lambda u, w, place: p.can_view_notice(u, w.staff[place]), _VOTE_MANAGERS
    ),
    "get_notice_for": Check(
        lambda u, w, place: found(lambda: p.get_notice_for(u, w.public[place].pk)), _SEE
    ),
    "get_notice_for[for vote managers]": Check(
        lambda u, w, place: found(lambda: p.get_notice_for(u, w.staff[place].pk)), _VOTE_MANAGERS
    ),
    # The board's list (the caller has checked the compound): the audience's notices only.
    "notices_visible_to": Check(
        lambda u, w, place: w.staff[place] in p.notices_visible_to(u, compound_at(w.cast, place)),
        _VOTE_MANAGERS,
    ),
}
HELPERS: dict[str, str] = {}
