"""demands.permissions in the matrix: who files, dispatches, handles, sees and closes a
demand (docs/demands.md, DOMAIN.md mechanism 1: 居民点单、支部派单、楼长接单).

The world has, at each place, demands filed by the system on behalf of a person of that
place: in A, one of A's common areas; in the room of building 1, a demand about that room;
in B and Z, one of their common areas. The reporter is the resident of the room (A and the
room), a person of B who is nobody of the cast, and the outsider (Z). A demand that is
dispatched goes to the property company of its compound (甲物业, 乙物业, and a property
company of Z in which nobody of the cast holds a post). Several copies are kept in the
states a predicate depends on: filed, dispatched, returned, resolved, feedback given,
closed; public; dispatched to the party branch; merged into; followed.
"""

from types import SimpleNamespace

from gongzhi.bodies.models import BodyKind
from gongzhi.demands import permissions as p
from gongzhi.demands import services
from gongzhi.demands.models import Category, Channel, PlaceKind
from gongzhi.demands.rules import Action, Role
from tests.factories import BodyFactory, resident_of
from tests.permission_matrix.framework import Check, anywhere, at, found
from tests.permission_matrix.tables import DISPATCH, PLACES, ROLES, VIEW_PLACE, compound_at, holding

_IN_A = ("A", "A/1号楼")  # the places of the variants that need A's bodies


def build(cast):
    category = Category.objects.create(name="维修", accept_within_hours=24, resolve_within_days=3)
    property_z = BodyFactory(
        kind=BodyKind.PROPERTY_COMPANY, name="丙物业", place_path=cast.z.path, compound=cast.z
    )
    reporter = {
        "A": cast.resident.person,
        "A/1号楼": cast.resident.person,
        "B": resident_of(cast.b),
        "Z": cast.outsider.person,
    }
    property_of = {"A": cast.property_a, "A/1号楼": cast.property_a, "B": cast.property_b,
                   "Z": property_z}  # fmt: skip

    def where(place):
        if place == "A/1号楼":
            return {"compound": cast.a, "place_kind": PlaceKind.ROOM, "room": cast.room_a}
        return {"compound": compound_at(cast, place), "place_kind": PlaceKind.COMMON}

    def file(place, *, actor=None, person=None, **kw):
        return services.demand_file_on_behalf(
            actor=actor, reporter=person or reporter[place], channel=Channel.PHONE,
            category=category, description="楼道灯坏了,晚上看不见路", **where(place), **kw,
        )  # fmt: skip

    def dispatched(place, body=None):
        return services.demand_dispatch(
            actor=None, demand=file(place), handler_body=body or property_of[place]
        )

    def resolved(place):
        d = services.demand_accept(actor=None, demand=dispatched(place))
        return services.demand_resolve(actor=None, demand=d, note="已更换灯泡")

    def feedback_given(place):
        d = services.demand_evaluate(actor=None, demand=resolved(place), rating=5)
        return services.demand_feedback(actor=None, demand=d, text="已回访")

    def returned(place):
        return services.demand_return(actor=None, demand=dispatched(place), reason="非物业职责")

    def merged_into(place):
        original = file(place)
        duplicate = file(place, person=cast.owner.person)  # the owner of the room: same place
        services.demand_merge(actor=None, demand=duplicate, into=original)
        return original

    def followed(place):
        d = file(place, is_public=True)
        services.demand_follow(actor=cast.owner, demand=d)  # "me too", by the owner of A
        return d

    places = PLACES
    return SimpleNamespace(
        cast=cast,
        filed={place: file(place) for place in places},
        public={place: file(place, is_public=True) for place in places},
        dispatched={place: dispatched(place) for place in places},
        # accepted by the compound's clerk, who becomes the handler person
        accepted={
            place: services.demand_accept(actor=clerk, demand=dispatched(place))
            for place, clerk in (
                ("A", cast.clerk),
                ("A/1号楼", cast.clerk),
                ("B", cast.clerk_b),
                ("Z", None),
            )
        },  # fmt: skip
        returned={place: returned(place) for place in places},
        resolved={place: resolved(place) for place in places},
        feedback={place: feedback_given(place) for place in places},
        closed={
            place: services.demand_close(actor=None, demand=feedback_given(place), summary="总结")
            for place in places
        },
        # A and the room only: bodies and people of A.
        branch={place: dispatched(place, cast.branch_a) for place in _IN_A},
        by_staff={
            place: file(place, actor=cast.clerk, person=cast.owner.person) for place in _IN_A
        },
        merged={place: merged_into(place) for place in _IN_A},
        followed={place: followed(place) for place in _IN_A},
    )


def _only(*places):
    """An expectation asked at some places only (the variants that need A's bodies)."""

    def pick(allowed):
        return {place: roles for place, roles in allowed.items() if place in places}

    return pick


_in_a = _only(*_IN_A)


def _on(state, ask):
    """``ask(user, demand)`` of the demand of the place in ``state`` (a world attribute)."""
    return lambda u, w, place: ask(u, getattr(w, state)[place])


def _has(action, state):
    return _on(state, lambda u, d: action in p.available_actions(u, d))


# Who each question lets in, written out (tables.py's capabilities where the predicate is
# that capability). The reporter is the resident (A and the room) or the outsider (Z);
# B's reporter is nobody of the cast.
REPORTER = at(A={"resident"}, Z={"outsider"})
DISPATCHERS = at(  # 支部书记、网格员 (own grid)、社区工作人员
    A={"secretary", "community_worker"},
    room={"secretary", "community_worker", "grid_worker"},
    B={"community_worker"},
)
assert holding(DISPATCH) == DISPATCHERS
PROPERTY = at(A={"clerk"}, B={"clerk_b"})  # the handler: the compound's property clerk
COMMUNITY = at(A={"community_worker"}, B={"community_worker"})  # 社区 (not the grid worker)
# On the dispatched demand: reporter, handler and dispatchers (those with a role on it).
INVOLVED = at(
    A={"resident", "clerk", "secretary", "community_worker"},
    room={"resident", "clerk", "secretary", "community_worker", "grid_worker"},
    B={"clerk_b", "community_worker"},
    Z={"outsider"},
)
# Who reads the private demand before it is dispatched: the reporter, dispatchers and
# figure-holders (branch secretary, owners' chair, community, street) over the place.
READERS_FILED = at(
    A={"resident", "secretary", "owners_chair", "community_worker", "street_official"},
    room={"resident", "secretary", "owners_chair", "community_worker", "street_official",
          "grid_worker"},
    B={"community_worker", "street_official"},
    Z={"outsider", "street_official"},
)  # fmt: skip
# Once dispatched (or handled before, then returned): the property clerk too.
READERS = {place: roles | PROPERTY[place] for place, roles in READERS_FILED.items()}
# A public demand: anyone who sees its compound's page (tables.VIEW_PLACE at the compound:
# clerk_b sees B, not A), the building leader and the grid worker of A included.
PUBLIC_READERS = {place: holding(VIEW_PLACE)["A" if place == "A/1号楼" else place]
                  for place in holding(VIEW_PLACE)}  # fmt: skip

NOT_PERSONAL = "a superuser is not the reporter nor a member of the handler body"

PREDICATES = {
    "is_active_user": Check(lambda u, w, place: p.is_active_user(u), anywhere(ROLES)),
    # The board and the inbox, wherever one works (what /demands/ opens on).
    "may_dispatch_somewhere": Check(
        lambda u, w, place: p.may_dispatch_somewhere(u),
        anywhere({"secretary", "grid_worker", "community_worker"}),
    ),
    "may_handle_somewhere": Check(  # every post that acts for its body; a superuser has none
        lambda u, w, place: p.may_handle_somewhere(u),
        anywhere(set(ROLES) - {"resident", "owner", "outsider", "nobody"}),
        superuser=False,
    ),
    # 居民点单: a resident or owner, in their own compound.
    "can_file": Check(
        lambda u, w, place: p.can_file(
            u, w.cast.room_a.path if place == "A/1号楼" else compound_at(w.cast, place).path
        ),
        at(A={"resident", "owner"}, Z={"outsider"}),
    ),
    # Staff record a resident's demand: dispatchers, and handlers within their scope.
    "can_file_on_behalf": Check(
        lambda u, w, place: p.can_file_on_behalf(
            u, w.cast.room_a.path if place == "A/1号楼" else compound_at(w.cast, place).path
        ),
        at(
            A={"secretary", "community_worker", "clerk", "owners_chair"},
            room={
                "secretary",
                "community_worker",
                "grid_worker",
                "clerk",
                "owners_chair",
                "building_leader",
            },
            B={"community_worker", "clerk_b"},
        ),
    ),
    "can_dispatch": Check(_on("filed", p.can_dispatch), DISPATCHERS),
    "is_reporter": Check(_on("dispatched", p.is_reporter), REPORTER, superuser=False),
    # Filed by the property clerk for the owner: the owner is the reporter, not the clerk.
    "is_reporter[filed by staff]": Check(
        _on("by_staff", p.is_reporter), _in_a(at(A={"owner"})), superuser=False
    ),
    # The handler: a member of the handler body whose scope covers the place.
    "can_handle": Check(
        _on("dispatched", p.can_handle), PROPERTY, superuser=False, note=NOT_PERSONAL
    ),
    # Dispatched to the party branch: its building leader handles in building 1 only.
    "can_handle[branch]": Check(
        _on("branch", p.can_handle),
        _in_a(at(A={"secretary"}, room={"secretary", "building_leader"})),
        superuser=False,
    ),
    "can_handle[filed]": Check(_on("filed", p.can_handle), at(), superuser=False),
    "can_handle[returned]": Check(_on("returned", p.can_handle), at(), superuser=False),
    # Accepted by the clerk, the handler person: only while still a member of the company
    # (the dissolved-body rows: the clerk of a dissolved 甲物业 handles nothing more).
    "can_handle[accepted by the clerk]": Check(
        _on("accepted", p.can_handle), PROPERTY, superuser=False, note=NOT_PERSONAL
    ),
    "can_whistle": Check(
        _on("dispatched", p.can_whistle),
        at(A={"resident", "clerk"}, B={"clerk_b"}, Z={"outsider"}),
        superuser=False,
    ),
    "can_close": Check(_on("feedback", p.can_close), COMMUNITY),
    # The compound's routing rules, chain and categories (the room: its compound, A).
    "can_manage_compound": Check(
        lambda u, w, place: p.can_manage_compound(u, compound_at(w.cast, place).path),
        at(A={"secretary", "community_worker"}, B={"community_worker"}),
    ),
    # The name: reporter, handler, dispatchers; not the figure-holders who read it.
    "sees_reporter": Check(_on("dispatched", p.sees_reporter), INVOLVED),
    "roles_of": Check(
        _on("dispatched", lambda u, d: bool(p.roles_of(u, d) - {Role.SYSTEM})), INVOLVED
    ),
    "roles_of[community]": Check(
        _on("dispatched", lambda u, d: Role.COMMUNITY in p.roles_of(u, d)), COMMUNITY
    ),
    "can_view": Check(_on("dispatched", p.can_view), READERS),
    "can_view[filed]": Check(_on("filed", p.can_view), READERS_FILED),  # not yet the clerk
    "can_view[public]": Check(_on("public", p.can_view), PUBLIC_READERS),
    "can_view[returned]": Check(_on("returned", p.can_view), READERS),  # handled it before
    # The owner's duplicate merged into the resident's demand: the owner follows it.
    "can_view[merged]": Check(
        _on("merged", p.can_view),
        _in_a({place: roles | {"owner"} for place, roles in READERS_FILED.items()}),
    ),
    # Followers: the reporter (the resident), and the owner, of the merged duplicate or
    # who said "me too".
    "follows": Check(
        _on("merged", p.follows), _in_a(at(A={"resident", "owner"})), superuser=False
    ),  # fmt: skip
    "follows[followed]": Check(
        _on("followed", p.follows), _in_a(at(A={"resident", "owner"})), superuser=False
    ),  # fmt: skip
    # Those with a role on it and its followers; the figure-holders read only.
    "can_comment": Check(_on("dispatched", p.can_comment), INVOLVED),
    "can_comment[followed]": Check(
        _on("followed", p.can_comment),
        _in_a(
            at(
                A={"resident", "owner", "secretary", "community_worker"},
                room={"resident", "owner", "secretary", "community_worker", "grid_worker"},
            )
        ),
    ),
    "get_demand_for": Check(
        _on("dispatched", lambda u, d: found(lambda: p.get_demand_for(u, d.pk))), READERS
    ),
    "get_demand_for[filed]": Check(
        _on("filed", lambda u, d: found(lambda: p.get_demand_for(u, d.pk))), READERS_FILED
    ),
    # The buttons: 接单 on a dispatched demand is the handler's.
    "available_actions": Check(_has(Action.ACCEPT, "dispatched"), PROPERTY, superuser=False),
    "available_actions[dispatch]": Check(_has(Action.DISPATCH, "filed"), DISPATCHERS),
    "available_actions[evaluate]": Check(
        _has(Action.EVALUATE, "resolved"), REPORTER, superuser=False
    ),
    "available_actions[withdraw]": Check(
        _has(Action.WITHDRAW, "dispatched"), REPORTER, superuser=False
    ),
    "available_actions[close]": Check(_has(Action.CLOSE, "feedback"), COMMUNITY),
    "available_actions[closed]": Check(
        _on("closed", lambda u, d: bool(p.available_actions(u, d))), at(), superuser=False
    ),
}

HELPERS = {
    "handler_memberships": "the user's memberships that may act on demands, a tuple cached "
    "on the user (one query): tests/demands/test_selectors.py",
    "forget": "drops that cache and core.access's after a membership changes: "
    "tests/demands/test_selectors.py",
    "compound_path_of": "pure helper, the compound's path above a demand's place",
}
