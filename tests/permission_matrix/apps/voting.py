"""voting.permissions in the matrix: who sees, runs and votes in owners' assemblies and
committee elections (docs/voting.md "Who may do what", DOMAIN.md mechanisms 5 and 6:
民法典第二百七十八条, 业委会换届).

Who is who here. Assemblies and elections are run by the holders of VotingCap.MANAGE_VOTES
at the compound: community staff (the community worker, in A and B, community C1's) and
the owners' committee chair (A's). Neither the street, nor the party branch, nor the
property company, nor a building leader or grid worker in their part of A runs a vote.
Everyone who may see the compound sees its assemblies and elections. Only a person on
the assembly's frozen roll votes (the owner of room_a in A; nobody of the cast in B and
Z), and the holder of an accepted proxy for someone on it.

The world, per place (the room of building 1 stands for A's objects about building 1):

- an open assembly of each compound; its roll has the owners of A (the cast's owner of
  room_a, an owner of room 1xx of building 1, two owners in building 2), and two owners
  each of B and Z whom the cast does not hold;
- in each open assembly an accepted proxy, registered by the system as by staff who hold
  the signed paper (A: an owner of building 2 authorised the cast's owner; the room: the
  owner of building 1's other room authorised the cast's resident; B: a resident of B who
  is nobody of the cast holds it; Z: the outsider, who lives there) and a pending paper
  sheet (A: entered by the chair; the room: the cast owner's, entered by the
  community worker; B: entered by the community worker, B's only manager; Z: entered by a
  superuser, as nobody of the cast runs Z's votes);
- a closed assembly of each compound, and in A also: a second closed one (where the
  chair registered themselves as a proxy, still pending), a draft (no roll drawn), and a
  second open one where the outsider holds a proxy waiting for its check (pending; the
  closed one of A has their rejected one). The service refuses one who does not see the
  compound registering themselves; the world writes these as registered before it asked;
- an election of each compound with one candidate, an owner of that compound.

A proxy is personal, not a post's: its holders are the resident, the owner, the outsider
and persons outside the cast, so the members of a dissolved body hold none.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from gongzhi.core import access
from gongzhi.voting import permissions as p
from gongzhi.voting import services
from gongzhi.voting.models import Proxy, ProxyStatus
from tests.factories import AccountFactory, resident_of
from tests.permission_matrix.framework import Check, at
from tests.permission_matrix.tables import COMPOUND_OF, PLACES, VIEW_PLACE, compound_at, holding
from tests.voting.helpers import add_owner, open_assembly, scan

ROOM = "A/1号楼"

# Who sees an assembly or election: whoever sees its compound (places.permissions). The
# room's assembly is A's, so the room row is A's.
SEES = {place: holding(VIEW_PLACE)["A" if place == ROOM else place] for place in PLACES}
# VotingCap.MANAGE_VOTES at the compound: community staff (C1: A and B) and A's owners'
# committee chair. Not the street official, the secretary, the clerks, nor the building
# leader or grid worker in their part of A.
MANAGERS = at(A={"community_worker", "owners_chair"}, B={"community_worker"})


def build(cast):
    now = timezone.now()
    past = now - dt.timedelta(days=3)
    owner_a1 = add_owner(cast.a, building=cast.building_a1)  # another room of building 1
    owner_a2 = add_owner(cast.a, building=cast.building_a2)
    owner_a3 = add_owner(cast.a, building=cast.building_a2)
    owner_b, owner_b2 = add_owner(cast.b), add_owner(cast.b)
    owner_z, owner_z2 = add_owner(cast.z), add_owner(cast.z)
    root = AccountFactory(is_superuser=True, is_staff=True)  # enters Z's paper sheet
    chair, worker = cast.owners_chair, cast.community_worker

    def entry(account, assembly):
        return p.roll_entry_of(account, assembly)

    def proxy(assembly, principal, holder, *, actor=None, when=None):
        # Registered by the system, as by staff holding the signed paper: accepted.
        return services.proxy_register(
            actor=actor, assembly=assembly, principal=entry(principal, assembly),
            holder=holder, authorisation=scan(), now=when,
        )  # fmt: skip

    def pending_from_elsewhere(assembly, principal, *, when=None):
        # The outsider (of Z) as a proxy of an owner of A, waiting for its check. The
        # service no longer lets them register it themselves (they do not see A); such a
        # proxy is one registered before it asked, or whose holder has since moved away.
        registered = proxy(assembly, principal, cast.outsider.person, when=when)
        Proxy.objects.filter(pk=registered.pk).update(
            status=ProxyStatus.PENDING, reviewed_at=None, registered_by=cast.outsider
        )
        registered.refresh_from_db()
        return registered

    def sheet(assembly, voter, actor):
        return services.paper_sheet_enter(
            actor=actor, assembly=assembly, entry=entry(voter, assembly),
            answers={assembly.questions.get(): "agree"}, scan=scan(),
        )  # fmt: skip

    def closed(compound, proxies=None):
        assembly = open_assembly(None, compound, at=past, title="2026年第一次业主大会（已截止）")
        if proxies:
            proxies(assembly)
        services.assembly_close(actor=None, assembly=assembly, now=now)
        assembly.refresh_from_db()
        return assembly

    def rejected_from_elsewhere(assembly):
        # The outsider (of Z) as the proxy of an owner of A; it is rejected.
        registered = pending_from_elsewhere(assembly, owner_a3, when=past)
        services.proxy_review(actor=None, proxy=registered, accept=False, note="委托书无签名",
                              now=past)  # fmt: skip

    def election(compound, nominee):
        e = services.election_create(
            actor=None, compound=compound, title="第二届业主委员会换届选举",
            committee_kind="owners_committee", seats=5, term_years=5,
        )  # fmt: skip
        c = services.candidate_nominate(actor=None, election=e, person=nominee.person, kind="self")
        return e, c

    asm_a, asm_b, asm_z = (open_assembly(None, c) for c in (cast.a, cast.b, cast.z))
    asm_a2 = open_assembly(None, cast.a, title="2026年第二次业主大会")
    draft_a = services.assembly_create(
        actor=None, compound=cast.a, title="2026年第三次业主大会",
        opens_at=now + dt.timedelta(days=10), closes_at=now + dt.timedelta(days=11),
    )  # fmt: skip
    closed_a = closed(cast.a, proxies=rejected_from_elsewhere)

    def held_by_the_chair(assembly):
        # The chair names themselves a proxy (pending: nobody checks their own). Kept in an
        # assembly no question about seeing is asked of: the proxy is the chair's own, and
        # would still show it to them once their committee is dissolved.
        pending_of_chair.append(proxy(assembly, owner_a3, chair.person, actor=chair, when=past))

    pending_of_chair = []
    closed(cast.a, proxies=held_by_the_chair)
    closed_b, closed_z = closed(cast.b), closed(cast.z)

    elections = {"A": election(cast.a, owner_a2), "B": election(cast.b, owner_b),
                 "Z": election(cast.z, owner_z)}  # fmt: skip
    elections[ROOM] = elections["A"]
    world = SimpleNamespace(
        cast=cast,
        compound={place: compound_at(cast, place) for place in COMPOUND_OF},
        assembly={"A": asm_a, ROOM: asm_a, "B": asm_b, "Z": asm_z},
        closed={"A": closed_a, ROOM: closed_a, "B": closed_b, "Z": closed_z},
        entry={
            "A": entry(owner_a2, asm_a),
            ROOM: entry(cast.owner, asm_a),
            "B": entry(owner_b, asm_b),
            "Z": entry(owner_z, asm_z),
        },  # fmt: skip
        proxy={
            "A": proxy(asm_a, owner_a2, cast.owner.person),
            ROOM: proxy(asm_a, owner_a1, cast.resident.person),
            "B": proxy(asm_b, owner_b, resident_of(cast.b)),
            "Z": proxy(asm_z, owner_z, cast.outsider.person),
        },
        sheet={
            "A": sheet(asm_a, owner_a3, chair),
            ROOM: sheet(asm_a, cast.owner, worker),
            "B": sheet(asm_b, owner_b2, worker),
            "Z": sheet(asm_z, owner_z2, root),
        },
        # Owners of the compound who are nobody of the cast (nominees, proxy holders).
        other_owner={"A": owner_a2, ROOM: owner_a1, "B": owner_b, "Z": owner_z},
        # The compound's owners (the nominators of a joint nomination).
        owners={
            "A": {cast.owner, owner_a1, owner_a2, owner_a3},
            ROOM: {cast.owner, owner_a1, owner_a2, owner_a3},
            "B": {owner_b, owner_b2},
            "Z": {owner_z, owner_z2},
        },
        election={place: e for place, (e, _) in elections.items()},
        candidate={place: c for place, (_, c) in elections.items()},
        # Variants asked in A only, each an object of A in one state.
        draft={"A": draft_a},
        # A's second open assembly, with a proxy waiting for its check (核验): the
        # outsider's (of Z).
        with_pending={"A": asm_a2},
        pending={"A": pending_from_elsewhere(asm_a2, owner_a2)},
        pending_of_chair={"A": pending_of_chair[0]},
        rejected={"A": closed_a.proxies.get(holder=cast.outsider.person)},
    )
    for account in (chair, worker):
        access.forget(account)
    return world


def _loads(getter) -> bool:
    """A loader's answer: True when it returns; False on 404 (not seen) or 403 (seen, not
    allowed to act)."""
    try:
        getter()
    except (Http404, PermissionDenied):
        return False
    return True


def _on(predicate, objects: str, allowed, **check) -> Check:
    """``predicate(user, o)`` for ``o`` the world's ``objects`` at each place."""
    return Check(lambda u, w, place: predicate(u, getattr(w, objects)[place]), allowed, **check)


def _loader(getter, objects: str, allowed, **kw) -> Check:
    """``getter(user, o.pk, **kw)`` loads (no 404, no 403) for ``o`` the world's ``objects``."""
    return Check(
        lambda u, w, place: _loads(lambda: getter(u, getattr(w, objects)[place].pk, **kw)),
        allowed,
    )


def _in_a(roles) -> dict[str, frozenset[str]]:
    """A variant asked only in A (its objects exist there only)."""
    return {"A": frozenset(roles)}


def _whose_name(predicate, objects: str) -> dict[str, Check]:
    """A question about the person named in it (``predicate(user, object, person_id)``):
    plain, someone else (an owner of the compound who is nobody of the cast): managers;
    ``[own]``, the asker themselves: whoever sees the compound. The predicate asks that
    itself, not only the views' loaders (get_*_for), so a route straight to the service
    opens no way in; a proxy held there does not count."""
    name = predicate.__name__
    return {
        name: Check(
            lambda u, w, place: predicate(
                u, getattr(w, objects)[place], w.other_owner[place].person_id
            ),
            MANAGERS,
        ),
        f"{name}[own]": Check(
            lambda u, w, place: predicate(u, getattr(w, objects)[place], u.person_id),
            SEES,
        ),
    }


NOBODY = frozenset()
PERSONAL = {"superuser": False}  # a superuser is on no roll and holds no proxy
# The holders of the plain proxies: A's owner (for a neighbour in building 2), the
# resident (for the owner of building 1's other room), nobody of the cast in B, the
# outsider in Z.
HOLDERS = at(A={"owner"}, room={"resident"}, Z={"outsider"})

PREDICATES = {
    # ------------------------------------------------------------------------- seeing
    "can_view_compound_votes": _on(p.can_view_compound_votes, "compound", SEES),
    "can_view_assembly": _on(p.can_view_assembly, "assembly", SEES),
    # A proxy holder from elsewhere sees the assembly they hold a proxy in (a pending one
    # too), and no other of the compound; a rejected proxy shows nothing.
    "can_view_assembly[pending proxy from elsewhere]": _on(
        p.can_view_assembly, "with_pending", _in_a(SEES["A"] | {"outsider"})
    ),
    "can_view_assembly[rejected proxy from elsewhere]": _on(
        p.can_view_assembly, "closed", _in_a(SEES["A"])
    ),
    "get_assembly_for": _loader(p.get_assembly_for, "assembly", SEES),
    "get_assembly_for[manage]": _loader(p.get_assembly_for, "assembly", MANAGERS, manage=True),
    "can_view_election": _on(p.can_view_election, "election", SEES),
    "get_election_for": _loader(p.get_election_for, "election", SEES),
    "get_election_for[manage]": _loader(p.get_election_for, "election", MANAGERS, manage=True),
    "get_candidate_for": _loader(p.get_candidate_for, "candidate", SEES),
    # ----------------------------------------------------------------------- managing
    "can_manage_votes": _on(p.can_manage_votes, "compound", MANAGERS),
    "can_manage_assembly": _on(p.can_manage_assembly, "assembly", MANAGERS),
    "can_manage_election": _on(p.can_manage_election, "election", MANAGERS),
    "can_see_full_roll": _on(p.can_see_full_roll, "assembly", MANAGERS),
    # Correcting an entry of the roll: managers; everyone else who sees it gets 403.
    "get_roll_entry_for": _loader(p.get_roll_entry_for, "entry", MANAGERS),
    "can_enter_paper": _on(p.can_enter_paper, "assembly", MANAGERS),
    "get_sheet_for": _loader(p.get_sheet_for, "sheet", MANAGERS),
    # A second manager confirms: A's sheet was entered by the chair, the room's by the
    # community worker, B's by the community worker (B's only manager: nobody may), Z's by
    # a superuser of the world (nobody of the cast runs Z's votes).
    "can_confirm_paper": _on(
        p.can_confirm_paper, "sheet", at(A={"community_worker"}, room={"owners_chair"})
    ),
    "can_check_candidate": _on(p.can_check_candidate, "candidate", MANAGERS),
    # ------------------------------------------------------------------------- voting
    # The frozen roll decides: in A the owner of room_a; nobody of the cast owns in B or Z.
    # A draft has no roll yet: the owner of today does not vote in it.
    "can_vote": _on(p.can_vote, "assembly", at(A={"owner"}), **PERSONAL),
    "can_vote[draft, no roll yet]": _on(p.can_vote, "draft", _in_a(NOBODY), **PERSONAL),
    "roll_entry_of": _on(
        lambda u, a: p.roll_entry_of(u, a) is not None, "assembly", at(A={"owner"}), **PERSONAL
    ),
    # The holder named by the proxy, whatever its review; it votes only once accepted.
    "holds_proxy": _on(p.holds_proxy, "proxy", HOLDERS, **PERSONAL),
    "holds_proxy[pending]": _on(p.holds_proxy, "pending", _in_a({"outsider"}), **PERSONAL),
    "holds_proxy[rejected]": _on(p.holds_proxy, "rejected", _in_a({"outsider"}), **PERSONAL),
    "can_vote_as_proxy": _on(p.can_vote_as_proxy, "proxy", HOLDERS, **PERSONAL),
    "can_vote_as_proxy[pending]": _on(p.can_vote_as_proxy, "pending", _in_a(NOBODY), **PERSONAL),
    "can_vote_as_proxy[rejected]": _on(p.can_vote_as_proxy, "rejected", _in_a(NOBODY), **PERSONAL),
    # 核验: a manager who is not the holder (the plain proxies are held by no manager).
    "can_review_proxy": _on(p.can_review_proxy, "proxy", MANAGERS),
    "can_review_proxy[pending]": _on(p.can_review_proxy, "pending", _in_a(MANAGERS["A"])),
    "can_review_proxy[held by the chair]": _on(
        p.can_review_proxy, "pending_of_chair", _in_a({"community_worker"})
    ),
    # Registering a proxy held by someone else: managers; one's own: whoever sees the
    # compound.
    **_whose_name(p.can_register_proxy, "assembly"),
    # ---------------------------------------------------------------------- elections
    # 小区党支部推荐: the secretary (or deputy) of A's branch, not its building leader.
    "is_branch_lead": _on(p.is_branch_lead, "compound", at(A={"secretary"})),
    # Entering someone else's self-nomination form: managers; nominating oneself: whoever
    # sees the compound.
    **_whose_name(p.can_nominate_self, "election"),
    # A joint nomination by the compound's owners: one of them (in A the cast's owner) or a
    # manager submits it.
    "can_nominate_jointly": Check(
        lambda u, w, place: p.can_nominate_jointly(
            u, w.election[place], {o.person_id for o in w.owners[place]}
        ),
        at(A=MANAGERS["A"] | {"owner"}, B=MANAGERS["B"]),
    ),
    # The asker among the nominators: whoever sees the compound (the service then says
    # who of them may not nominate); one of elsewhere is not asked further.
    "can_nominate_jointly[among the nominators]": Check(
        lambda u, w, place: p.can_nominate_jointly(
            u, w.election[place], {o.person_id for o in w.owners[place]} | {u.person_id}
        ),
        SEES,
    ),
}

HELPERS: dict[str, str] = {}  # every public function of voting.permissions is a predicate
