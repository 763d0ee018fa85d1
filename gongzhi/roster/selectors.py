"""Reads for the roster: a compound's rooms, owners and residents as rows of the table."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from gongzhi.people.models import Household, Ownership, Person, Residency
from gongzhi.people.selectors import Sight
from gongzhi.places.models import Compound, Room
from gongzhi.roster import rules


def roster_rows(*, compound: Compound, sight: Sight) -> list[list[Any]]:
    """One row per person-room relation (rules.COLUMNS order), one row for an empty room.

    Four queries whatever the size. Rooms in natural order (2号楼 before 10号楼); in a
    room, owners first (the first one 业主, the others 共有人), then the household with
    its head first. Phones, ID numbers and the care column as ``sight`` shows them
    (masked, and the care column left blank, where the exporter may not see them); the
    sight collects whose full ID numbers went into the file.
    """
    rooms = sorted(
        Room.objects.filter(building__compound=compound).select_related(
            "building__grid", "entrance"
        ),
        key=lambda r: (
            rules.natural_key(r.building.name),
            rules.natural_key(r.entrance.name if r.entrance else ""),
            rules.natural_key(r.name),
        ),
    )
    owners: dict[int, list[Ownership]] = defaultdict(list)
    for o in (
        Ownership.objects.filter(room__building__compound=compound, until__isnull=True)
        .select_related("person")
        .order_by("id")
    ):
        owners[o.room_id].append(o)
    households: dict[int, list[Household]] = defaultdict(list)
    for h in Household.objects.filter(
        room__building__compound=compound, moved_out__isnull=True
    ).order_by("id"):
        households[h.room_id].append(h)
    members: dict[int, list[Residency]] = defaultdict(list)
    for res in (
        Residency.objects.filter(
            household__room__building__compound=compound,
            household__moved_out__isnull=True,
            until__isnull=True,
        )
        .select_related("person")
        .order_by("id")
    ):
        members[res.household_id].append(res)

    def person_cells(person: Person) -> list[Any]:
        card = sight.card(person)
        return [card.name, rules.GENDER_LABELS.get(person.gender, ""), card.id_number, card.phone]

    def care_cell(person: Person) -> str:
        return rules.yes_no(person.is_vulnerable) if sight.reveal.care else ""

    out: list[list[Any]] = []
    for room in rooms:
        building = room.building
        place = [
            building.grid.name if building.grid_id else "",
            building.name,
            room.entrance.name if room.entrance_id else "",
            room.name,
            room.floor if room.floor is not None else "",
            room.exclusive_area,
            rules.AREA_SOURCE_LABELS.get(room.area_source, ""),
            rules.USE_LABELS.get(room.use, ""),
            rules.yes_no(room.held_by_developer),
        ]
        before = len(out)
        for i, o in enumerate(owners[room.id]):
            role = rules.OWNER if i == 0 else rules.CO_OWNER
            out.append(
                place
                + person_cells(o.person)
                + [rules.ROLE_LABELS[role], "", rules.yes_no(o.is_designated_voter)]
                + [care_cell(o.person)]
            )
        for household in households[room.id]:
            residencies = sorted(
                members[household.id], key=lambda r: r.person_id != household.head_id
            )
            for res in residencies:
                if res.is_tenant:
                    role = rules.TENANT
                elif res.person_id == household.head_id:
                    role = rules.HEAD
                else:
                    role = rules.FAMILY
                out.append(
                    place
                    + person_cells(res.person)
                    + [rules.ROLE_LABELS[role], rules.RELATION_LABELS.get(res.relation, ""), ""]
                    + [care_cell(res.person)]
                )
        if len(out) == before:
            out.append(place + [""] * (len(rules.COLUMNS) - len(place)))
    return out
