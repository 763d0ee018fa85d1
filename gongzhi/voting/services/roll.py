"""Drawing the voter roll from rooms and current ownerships, in a few queries.

Heads follow 法释〔2009〕7号 as :func:`gongzhi.voting.rules.build_roll` does: one head per
designated voter with the areas of all their rooms summed; everything the developer
still holds is one head (voter key ``developer``); parking counts only under the policy.
A room nobody is registered to vote for stays in the totals as its own entry, with no
person, until it is corrected during the objection period.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.people.models import Ownership
from gongzhi.places.models import Room, RoomUse
from gongzhi.voting import rules
from gongzhi.voting.models import Assembly, RollEntry

DEVELOPER = "developer"
LABEL_LIMIT = 1000


def person_key(person_id: int) -> str:
    return f"p{person_id}"


def room_key(room_id: int) -> str:
    return f"r{room_id}"


def counted_rooms(assembly: Assembly) -> QuerySet[Room]:
    rooms = Room.objects.filter(compound_id=assembly.compound_id)
    if not assembly.count_parking_area:
        rooms = rooms.exclude(use=RoomUse.PARKING)
    return rooms


def _designations(rooms: QuerySet[Room]) -> QuerySet[Ownership]:
    return Ownership.objects.filter(
        room__in=rooms.filter(held_by_developer=False),
        until__isnull=True,
        is_designated_voter=True,
    )


def _label(labels: list[str]) -> str:
    text = pgettext("list separator", "、").join(labels)
    if len(text) <= LABEL_LIMIT:
        return text
    short = _("共 %(n)s 套：%(rooms)s…") % {"n": len(labels), "rooms": text[: LABEL_LIMIT - 20]}
    return short if len(short) <= LABEL_LIMIT else short[: LABEL_LIMIT - 1] + "…"


def draw_roll(assembly: Assembly) -> int:
    """Create the assembly's roll entries; returns how many heads. Five queries and one insert."""
    rooms = counted_rooms(assembly)
    designations = _designations(rooms)

    # 1. Areas per designated voter, summed in the database.
    areas = dict(
        designations.values("person_id")
        .annotate(area=Sum("room__exclusive_area"))
        .order_by()
        .values_list("person_id", "area")
    )
    # 2. Their rooms, for the entry's room list and label.
    owner_rooms: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person_id, room_id, building, name in designations.order_by(
        "room__building__name", "room__name"
    ).values_list("person_id", "room_id", "room__building__name", "room__name"):
        owner_rooms[person_id].append((room_id, f"{building}-{name}"))
    # 3-4. The developer's rooms: one head together.
    developer = rooms.filter(held_by_developer=True)
    developer_area = developer.aggregate(area=Sum("exclusive_area"))["area"]
    developer_rooms = list(
        developer.order_by("building__name", "name").values_list("id", "building__name", "name")
    )
    # 5. Rooms with no designated voter (no owner registered, or co-owners who named none).
    orphans = (
        rooms.filter(held_by_developer=False)
        .exclude(id__in=designations.values("room_id"))
        .order_by("building__name", "name")
        .values_list("id", "exclusive_area", "building__name", "name")
    )

    entries = [
        RollEntry(
            assembly=assembly,
            voter_key=person_key(person_id),
            person_id=person_id,
            room_ids=[room_id for room_id, _label_text in owner_rooms[person_id]],
            rooms_label=_label([label for _room_id, label in owner_rooms[person_id]]),
            area=area,
            heads=1,
        )
        for person_id, area in areas.items()
    ]
    if developer_rooms:
        entries.append(
            RollEntry(
                assembly=assembly,
                voter_key=DEVELOPER,
                is_developer=True,
                room_ids=[room_id for room_id, _b, _n in developer_rooms],
                rooms_label=_label([f"{b}-{n}" for _room_id, b, n in developer_rooms]),
                area=developer_area or Decimal("0.00"),
                heads=1,
            )
        )
    for room_id, area, building, name in orphans:
        entries.append(
            RollEntry(
                assembly=assembly,
                voter_key=room_key(room_id),
                room_ids=[room_id],
                rooms_label=f"{building}-{name}",
                area=area,
                heads=1,
                note=_("未登记指定表决人，请在公示期内核实更正"),
            )
        )
    RollEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def units_of(assembly: Assembly) -> list[rules.Unit]:
    """The compound's rooms as :class:`rules.Unit` with the voter keys :func:`draw_roll` uses.

    For recounts and tests: ``rules.build_roll(units_of(a), policy)`` must equal the roll
    drawn in the database.
    """
    designated = dict(
        Ownership.objects.filter(
            room__compound_id=assembly.compound_id, until__isnull=True, is_designated_voter=True
        ).values_list("room_id", "person_id")
    )
    units = []
    for room_id, area, use, developer in Room.objects.filter(
        compound_id=assembly.compound_id
    ).values_list("id", "exclusive_area", "use", "held_by_developer"):
        if developer:
            voter = DEVELOPER
        elif room_id in designated:
            voter = person_key(designated[room_id])
        else:
            voter = room_key(room_id)
        units.append(rules.Unit(str(room_id), rules.parse_area(area), voter, rules.UnitKind(use)))
    return units


def roll_as_rules(assembly: Assembly) -> dict[str, rules.Totals]:
    """The frozen roll as ``voter key → Totals`` (what rules.tally_* take)."""
    return {
        key: rules.Totals(rules.parse_area(area), heads)
        for key, area, heads in RollEntry.objects.filter(assembly=assembly).values_list(
            "voter_key", "area", "heads"
        )
    }


def owner_filter(compound_id: int) -> Q:
    """Current owners of a compound (for eligibility and nominators)."""
    return Q(ownerships__room__compound_id=compound_id, ownerships__until__isnull=True)
