"""lists.permissions in the matrix: who compiles, sees and claims lists (清单), docs/lists.md.

The world (``build``): in each of the compounds A, B and Z a draft list, a published one
and an archived one, each with items; the room's lists are A's (a list lies at a compound
or a community, never in a room). Community-level lists: C1's (the community of A, the room
and B) and C2's (Z's), a draft and a published one each.

Claimers: no role of the cast is one, so the world gives the outsider (who lives in Z) the
two ways of being one, both in Z's part of the tree: the liaison (联络人) of 丙小区共建单位,
a partner unit of compound Z, and an in-service party member 双报到 with C2, where they
live. That adds nothing to what the outsider sees (Z and C2 are already in their reach).
Every other claim is by a unit or a member outside the cast: 区住建局 over C1 with its own
liaison, a 双报到 member of C1, and 区司法局 over C2 (another unit covering Z).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from gongzhi.bodies.models import BodyKind, Post
from gongzhi.lists import permissions as p
from gongzhi.lists import services
from gongzhi.lists.models import ItemClaim, ListItem, WorkList
from gongzhi.lists.rules import Action, ListKind, Mode, Role, Source
from tests.factories import AccountFactory, BodyFactory, MembershipFactory, PartyMemberFactory
from tests.permission_matrix.framework import Check, at, found
from tests.permission_matrix.tables import COMPOUND_OF, _path

# What each place's lists are: the compound's (the room's are A's), and its community's.
_COMMUNITY = {"A": "c1", "A/1号楼": "c1", "B": "c1", "Z": "c2"}


# --- the world ----------------------------------------------------------------------------


def _partner_unit(place, name, liaison_person):
    """A 共建单位 over ``place`` (a compound or a community) with ``liaison_person``."""
    is_compound = hasattr(place, "community_id")
    unit = BodyFactory(
        kind=BodyKind.PARTNER_UNIT, name=name, place_path=place.path,
        compound=place if is_compound else None, community=None if is_compound else place,
    )  # fmt: skip
    MembershipFactory(body=unit, person=liaison_person, post=Post.LIAISON)
    return unit


def _dual_registered(person, community):
    PartyMemberFactory(person=person, is_in_service=True, registered_community=community)
    return person


def _new_list(place, title, *, items=1, state="draft"):
    """A list of ``place`` (a compound, or a community) with ``items`` fix-now items, moved
    to ``state`` by the system."""
    where = {"compound": place} if hasattr(place, "community_id") else {"community": place}
    work_list = services.worklist_create(
        actor=None, kind=ListKind.NEEDS, title=title, period="2024", **where
    )
    for n in range(items):
        _item(work_list, f"事项{n + 1}")
    if state in ("published", "archived"):
        services.worklist_publish(actor=None, work_list=work_list)
    if state == "archived":
        services.worklist_archive(actor=None, work_list=work_list)
    return WorkList.objects.get(pk=work_list.pk)  # in its state now


def _item(work_list, title, **kw):
    return services.item_add(
        actor=None, work_list=work_list, title=title, source=Source.MEETING,
        source_label="3月邻里夜谈", **kw,
    )  # fmt: skip


def _claimed(work_list, number, **claimer):
    """The item ``number`` of ``work_list`` assigned by the system to a unit or a member."""
    return services.item_claim(actor=None, item=work_list.items.get(number=number), **claimer)


def _compound_lists(compound, *, unit, member, other_unit):
    """A compound's lists: a draft, an archived list, and a published list whose items are
    open (1), a long-term project (2), claimed by ``unit`` (3), by the 双报到 ``member`` (4),
    by ``other_unit`` (5), and claimed by ``unit`` then given back (6)."""
    draft = _new_list(compound, "草稿清单")
    archived = _new_list(compound, "已归档清单", state="archived")
    published = _new_list(compound, "2024年需求清单", items=0)
    _item(published, "东门路灯不亮")
    _item(
        published, "小区出入道路修建", mode=Mode.LONG_TERM, plan="共建单位筹款,分两期修建",
        milestones=[("完成方案", dt.date(2024, 4, 30))],
    )  # fmt: skip
    for title in ("楼道扶手松动", "健身器材损坏", "垃圾房异味", "车棚漏雨"):
        _item(published, title)
    services.worklist_publish(actor=None, work_list=published)
    by_unit = _claimed(published, 3, body=unit)
    by_member = _claimed(published, 4, person=member)
    by_other_unit = _claimed(published, 5, body=other_unit)
    released = _claimed(published, 6, body=unit)
    services.item_release(actor=None, item=released.item, reason="力量不足")

    def item(number, on=published):  # as a request loads it, in its state now
        return ListItem.objects.select_related("work_list").get(work_list=on, number=number)

    def claim(c):
        return ItemClaim.objects.get(pk=c.pk)

    return SimpleNamespace(
        draft=draft,
        draft_item=item(1, draft),
        archived=archived,
        archived_item=item(1, archived),
        published=WorkList.objects.get(pk=published.pk),
        open=item(1),
        project=item(2),
        by_unit=item(3),
        by_unit_claim=claim(by_unit),
        by_member_claim=claim(by_member),
        by_other_unit_claim=claim(by_other_unit),
        released_claim=claim(released),
    )


def build(cast):
    outsider = cast.outsider.person  # lives in Z: its unit's liaison, 双报到 with C2
    unit_z = _partner_unit(cast.z, "丙小区共建单位", outsider)
    _dual_registered(outsider, cast.other_community)
    unit_c1 = _partner_unit(cast.community, "区住建局", AccountFactory().person)
    unit_c2 = _partner_unit(cast.other_community, "区司法局", AccountFactory().person)
    member_c1 = _dual_registered(AccountFactory().person, cast.community)

    c1 = dict(unit=unit_c1, member=member_c1, other_unit=unit_c1)
    compounds = {
        "a": _compound_lists(cast.a, **c1),
        "b": _compound_lists(cast.b, **c1),
        "z": _compound_lists(cast.z, unit=unit_z, member=outsider, other_unit=unit_c2),
    }
    communities = {
        key: SimpleNamespace(
            path=community.path,
            draft=_new_list(community, "社区草稿清单"),
            published=_new_list(community, "社区需求清单", state="published"),
        )
        for key, community in (("c1", cast.community), ("c2", cast.other_community))
    }
    return SimpleNamespace(cast=cast, compounds=compounds, communities=communities)


def _here(attr):
    """The place's compound's ``attr`` (a list, an item or a claim)."""
    return lambda w, place: getattr(w.compounds[COMPOUND_OF[place]], attr)


def _community(attr):
    """The place's community's ``attr`` (its path, its draft or published list)."""
    return lambda w, place: getattr(w.communities[_COMMUNITY[place]], attr)


def _place_path(w, place):
    return _path(w.cast, place)


def _ask(fn, pick):
    """``fn(user, the object the place has)``, as a Check asks."""
    return lambda u, w, place: fn(u, pick(w, place))


# --- who -----------------------------------------------------------------------------------

# Staff (DemandCap.DISPATCH over the place, or a grid worker of one of the compound's grids):
# the branch secretary and the grid worker in A, community staff in A and B. Not the
# building leader or the clerk (they handle), the owners' chair, the street (it looks).
STAFF = at(A={"secretary", "grid_worker", "community_worker"}, B={"community_worker"})
# Of a community's lists only community staff: "a branch secretary is not staff of the
# community's lists", nor is the grid worker (their grid lies in a compound).
COMMUNITY_STAFF = at(A={"community_worker"}, B={"community_worker"})

# A published or archived list is read by whoever sees its place (places.can_view_place):
# in A its residents, owners, bodies' members and the street (the building leader and the
# grid worker reach A); in B its clerk, community staff and the street; in Z the street and
# who lives there. Never the clerk of B in A, nor anyone of A in B.
SEES_A = {
    "resident", "owner", "building_leader", "clerk", "secretary", "owners_chair",
    "grid_worker", "community_worker", "street_official",
}  # fmt: skip
SEES_Z = {"street_official", "outsider"}
READERS = at(A=SEES_A, B={"clerk_b", "community_worker", "street_official"}, Z=SEES_Z)
# A community's list: everyone of the community (of A or B), the street; C2's: Z's people.
COMMUNITY_READERS = at(A=SEES_A | {"clerk_b"}, B=SEES_A | {"clerk_b"}, Z=SEES_Z)

# Place figures: who holds figures or dispatch over the place, or sees the place itself (a
# resident their compound's): not the building leader and the grid worker for the whole of
# A, which they only reach; they do for the room, in their building and grid.
FIGURES_A = {"resident", "owner", "clerk", "secretary", "owners_chair", "community_worker",
             "street_official"}  # fmt: skip
FIGURES = at(
    A=FIGURES_A, room=FIGURES_A | {"building_leader", "grid_worker"},
    B={"clerk_b", "community_worker", "street_official"}, Z=SEES_Z,
)  # fmt: skip

# Claimers: only the outsider, of Z (its unit's liaison, 双报到 with C2); nobody else of the
# cast, not staff, not residents, not handlers, not a superuser (claiming is for a unit or
# in one's own name: superuser=False).
CLAIMER_Z = at(Z={"outsider"})
NOBODY = at()


def _seen(ask):
    """Who is shown a list, as ``ask(user, work_list)``: the same for can_view_list,
    get_list_for and visible_lists_q (the filter of list pages must not leak)."""
    return {
        "": Check(_ask(ask, _here("published")), READERS),
        "[draft]": Check(_ask(ask, _here("draft")), STAFF, note="a draft: staff only"),
        "[archived]": Check(_ask(ask, _here("archived")), READERS),
        "[community]": Check(_ask(ask, _community("published")), COMMUNITY_READERS),
        "[community draft]": Check(_ask(ask, _community("draft")), COMMUNITY_STAFF),
    }


def _in_filter(u, work_list):
    return WorkList.objects.filter(p.visible_lists_q(u), pk=work_list.pk).exists()


def _role(role):
    return lambda u, item: role in p.roles_of(u, item)


def _action(action):
    return lambda u, item: action in p.available_actions(u, item)


PREDICATES = {
    **{
        f"{name}{variant}": check
        for name, ask in (
            ("can_view_list", p.can_view_list),
            ("get_list_for", lambda u, wl: found(lambda: p.get_list_for(u, wl.pk))),
            ("visible_lists_q", _in_filter),  # "is the list in the filter?"
        )
        for variant, check in _seen(ask).items()
    },
    "get_item_for": Check(
        _ask(lambda u, item: found(lambda: p.get_item_for(u, item.pk)), _here("open")), READERS
    ),
    "get_item_for[draft]": Check(
        _ask(lambda u, item: found(lambda: p.get_item_for(u, item.pk)), _here("draft_item")),
        STAFF,
    ),
    # Staff: of the place's path (compile), of a list (manage, see a claimer's full name).
    "is_staff": Check(_ask(p.is_staff, _place_path), STAFF),
    "is_staff[community]": Check(_ask(p.is_staff, _community("path")), COMMUNITY_STAFF),
    "can_compile": Check(_ask(p.can_compile, _place_path), STAFF),
    "can_compile[community]": Check(_ask(p.can_compile, _community("path")), COMMUNITY_STAFF),
    "can_manage": Check(_ask(p.can_manage, _here("published")), STAFF),
    "can_manage[community]": Check(_ask(p.can_manage, _community("draft")), COMMUNITY_STAFF),
    "sees_claimant_person": Check(_ask(p.sees_claimant_person, _here("published")), STAFF),
    "can_view_figures": Check(_ask(p.can_view_figures, _place_path), FIGURES),
    # Claimers of a compound's list, and of a community's: the outsider's unit is of
    # compound Z and does not cover C2's lists; their 双报到 registration does.
    "is_eligible": Check(_ask(p.is_eligible, _here("published")), CLAIMER_Z, superuser=False),
    "is_eligible[community]": Check(
        _ask(p.is_eligible, _community("published")), CLAIMER_Z, superuser=False
    ),
    "partner_bodies_of": Check(  # "is the user a liaison of a unit covering the list?"
        _ask(lambda u, wl: bool(p.partner_bodies_of(u, wl)), _here("published")),
        CLAIMER_Z,
        superuser=False,
    ),
    "partner_bodies_of[community]": Check(
        _ask(lambda u, wl: bool(p.partner_bodies_of(u, wl)), _community("published")),
        NOBODY,
        superuser=False,
    ),
    "dual_registered": Check(  # asked of the user's person
        _ask(lambda u, wl: p.dual_registered(u.person_id, wl), _here("published")),
        CLAIMER_Z,
        superuser=False,
    ),
    # The claimant: of the unit's claim (its liaison), of a member's (the member), of
    # another unit's (nobody of the cast: not the staff who assigned it, not a superuser),
    # of a claim given back (nobody).
    "is_claimant": Check(_ask(p.is_claimant, _here("by_unit_claim")), CLAIMER_Z, superuser=False),
    "is_claimant[member]": Check(
        _ask(p.is_claimant, _here("by_member_claim")), CLAIMER_Z, superuser=False
    ),
    "is_claimant[other unit]": Check(
        _ask(p.is_claimant, _here("by_other_unit_claim")), NOBODY, superuser=False
    ),
    "is_claimant[released]": Check(
        _ask(p.is_claimant, _here("released_claim")), NOBODY, superuser=False
    ),
    # roles_of: "does the user hold this role on the item?"
    "roles_of": Check(_ask(_role(Role.STAFF), _here("open")), STAFF),
    "roles_of[eligible]": Check(
        _ask(_role(Role.ELIGIBLE), _here("open")), CLAIMER_Z, superuser=False
    ),
    "roles_of[claimant]": Check(
        _ask(_role(Role.CLAIMANT), _here("by_unit")), CLAIMER_Z, superuser=False
    ),
    # available_actions: "is this button shown?"
    "available_actions": Check(_ask(_action(Action.ASSIGN), _here("open")), STAFF),
    "available_actions[claim]": Check(
        _ask(_action(Action.CLAIM), _here("open")), CLAIMER_Z, superuser=False
    ),
    "available_actions[release]": Check(  # a claimed item: its claimant and staff
        _ask(_action(Action.RELEASE), _here("by_unit")),
        at(A=STAFF["A"], B=STAFF["B"], Z={"outsider"}),
    ),
    "available_actions[draft solve]": Check(  # staff solve on a draft
        _ask(_action(Action.SOLVE), _here("draft_item")), STAFF
    ),
    "available_actions[draft claim]": Check(  # nobody claims on a draft
        _ask(_action(Action.CLAIM), _here("draft_item")), NOBODY, superuser=False
    ),
    "available_actions[project solve]": Check(  # a long-term project is never solved directly
        _ask(_action(Action.SOLVE), _here("project")), NOBODY, superuser=False
    ),
    "available_actions[archived]": Check(  # nothing moves on an archived list
        _ask(lambda u, item: bool(p.available_actions(u, item)), _here("archived_item")),
        NOBODY,
        superuser=False,
    ),
}

HELPERS = {
    "forget": "a cache: drops the liaison and 双报到 answers kept on the user object",
    "body_may_claim": "asks of a unit, not a user: tests/lists/test_services.py, "
    "test_scoped_refs.py (a unit of another community, a dissolved one)",
    "active_claim": "a query helper: the item's active claim (tests/lists/test_services.py)",
    "get_claim_body_for": "resolves a unit's id named by a claim against the list, no user: "
    "tests/lists/test_scoped_refs.py",
    "get_claim_person_for": "resolves a member's id named by a claim against the list, no "
    "user: tests/lists/test_scoped_refs.py",
    "get_category_for": "resolves a category id against the list's compound, no user: "
    "tests/lists/test_scoped_refs.py",
    "named": "a pure helper: an id in a write to its object or a field error (core.refs)",
}
