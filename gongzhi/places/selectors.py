"""Reads on the place tree, for views and the API. Counts and sums run in the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from gongzhi.core.inputs import ascii_int
from gongzhi.places import models, rules
from gongzhi.places.models import Building, Compound, Grid, Room
from gongzhi.places.permissions import compounds_visible_to

# The model of each level of the tree: "district" → District ... "room" → Room.
LEVEL_MODELS = {level: getattr(models, level.title()) for level, _prefix in rules.LEVELS}


def compound_list_for(user) -> QuerySet[Compound]:
    """The compounds the user may see, with their community and street, by name."""
    return (
        compounds_visible_to(user)
        .select_related("community__street__district")
        .order_by("community__street__name", "community__name", "name")
    )


def place_names(paths: Iterable[str]) -> dict[str, str]:
    """``{path: name}`` for the nodes the paths name, in one query per level present."""
    wanted: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in set(paths):
        try:
            parts = rules.parse_path(path)
        except ValueError:
            continue
        if parts:
            level, pk = parts[-1]
            wanted[level][pk].append(path)
    names: dict[str, str] = {}
    for level, by_pk in wanted.items():
        model = LEVEL_MODELS[level]
        for pk, name in model.objects.filter(pk__in=by_pk).values_list("pk", "name"):
            for path in by_pk[pk]:
                names[path] = name
    return names


def ancestors_of(path: str) -> list[str]:
    """Every ancestor path of ``path``, outermost first, itself included."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def compound_figures(compound: Compound) -> dict:
    """Roster figures for one compound, in three queries."""
    rooms = Room.objects.filter(compound=compound).aggregate(
        rooms=Count("id"),
        residential=Count("id", filter=Q(use="residential")),
        developer_held=Count("id", filter=Q(held_by_developer=True)),
        exclusive_area=Coalesce(Sum("exclusive_area"), Decimal("0.00")),
    )
    from gongzhi.people.models import Household, Ownership, Residency

    households = Household.objects.filter(room__compound=compound, moved_out__isnull=True).count()
    residents = (
        Residency.objects.filter(
            household__room__compound=compound,
            household__moved_out__isnull=True,
            until__isnull=True,
        )
        .values("person")
        .distinct()
        .count()
    )
    owners = (
        Ownership.objects.filter(room__compound=compound, until__isnull=True)
        .values("person")
        .distinct()
        .count()
    )
    return {
        **rooms,
        "buildings": Building.objects.filter(compound=compound).count(),
        "households": households,
        "residents": residents,
        "owners": owners,
    }


def figures_for(compound_ids: Iterable[int]) -> dict[int, dict]:
    """Roster figures per compound, five grouped queries for any number of compounds.

    The same figures as ``compound_figures`` gives for one compound.
    """
    from gongzhi.people.models import Household, Ownership, Residency

    ids = list(set(compound_ids))
    if not ids:
        return {}
    out: dict[int, dict] = {
        pk: {
            "buildings": 0,
            "rooms": 0,
            "exclusive_area": Decimal("0.00"),
            "households": 0,
            "residents": 0,
            "owners": 0,
        }
        for pk in ids
    }

    def put(rows, key):
        for pk, value in rows:
            out[pk][key] = value

    put(
        Building.objects.filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Count("id"))
        .values_list("compound_id", "n"),
        "buildings",
    )
    for pk, rooms, area in (
        Room.objects.filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Count("id"), area=Coalesce(Sum("exclusive_area"), Decimal("0.00")))
        .values_list("compound_id", "n", "area")
    ):
        out[pk]["rooms"] = rooms
        out[pk]["exclusive_area"] = area
    put(
        Household.objects.filter(room__compound_id__in=ids, moved_out__isnull=True)
        .values("room__compound_id")
        .annotate(n=Count("id"))
        .values_list("room__compound_id", "n"),
        "households",
    )
    put(
        Residency.objects.filter(
            household__room__compound_id__in=ids,
            household__moved_out__isnull=True,
            until__isnull=True,
        )
        .values("household__room__compound_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("household__room__compound_id", "n"),
        "residents",
    )
    put(
        Ownership.objects.filter(room__compound_id__in=ids, until__isnull=True)
        .values("room__compound_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("room__compound_id", "n"),
        "owners",
    )
    return out


def figures_total(rows: Iterable[dict]) -> dict:
    total: dict = defaultdict(int)
    total["exclusive_area"] = Decimal("0.00")
    for row in rows:
        for key, value in row.items():
            total[key] += value
    return dict(total)


def buildings_of(compound: Compound) -> QuerySet[Building]:
    return (
        Building.objects.filter(compound=compound)
        .select_related("grid")
        .annotate(
            room_count=Count("rooms"),
            area=Coalesce(Sum("rooms__exclusive_area"), Decimal("0.00")),
        )
        .order_by("name")
    )


def rooms_of(building: Building) -> QuerySet[Room]:
    """Rooms of a building with their current owners and households (no N+1)."""
    from django.db.models import Prefetch

    from gongzhi.people.models import Household, Ownership

    return (
        Room.objects.filter(building=building)
        .select_related("entrance")
        .prefetch_related(
            Prefetch(
                "ownerships",
                queryset=Ownership.objects.filter(until__isnull=True).select_related("person"),
                to_attr="current_ownerships",
            ),
            Prefetch(
                "households",
                queryset=Household.objects.filter(moved_out__isnull=True).select_related("head"),
                to_attr="current_households",
            ),
        )
        .order_by("entrance__name", "floor", "name")
    )


# ---------------------------------------------------------------------------
# Places pages


def compound_search(user, *, search: str = ""):
    """The compounds ``user`` may see whose name contains ``search``."""
    qs = compound_list_for(user)
    return qs.filter(name__contains=search) if search else qs


@dataclass
class RoomRow:
    room: Room
    owners: list = field(default_factory=list)  # PersonCard, with "share" and "voter"
    households: list = field(default_factory=list)  # dicts: head (PersonCard), is_renting


def building_rows(building: Building, *, roster: bool, sight) -> list[RoomRow]:
    """The rooms of a building; with ``roster``, their owners and households too, seen
    through ``sight`` (people.selectors.Sight: personal data masked unless the reader may
    see it; it collects whose ID numbers were shown). Two queries without the roster, four
    with it. The page shows a household head's phone but not their ID number."""
    from dataclasses import replace

    from gongzhi.people.selectors import person_card

    if not roster:
        rooms = (
            Room.objects.filter(building=building)
            .select_related("entrance")
            .order_by("entrance__name", "floor", "name")
        )
        return [RoomRow(room=room) for room in rooms]
    head_reveal = replace(sight.reveal, id_number=False)
    rows = []
    for room in rooms_of(building):
        rows.append(
            RoomRow(
                room=room,
                owners=[
                    {
                        "person": sight.card(o.person),
                        "share": o.share,
                        "voter": o.is_designated_voter,
                    }
                    for o in room.current_ownerships
                ],
                households=[
                    {
                        "head": person_card(h.head, reveal=head_reveal) if h.head_id else None,
                        "is_renting": h.is_renting,
                    }
                    for h in room.current_households
                ],
            )
        )
    return rows


# ---------------------------------------------------------------------------
# What a membership of a compound's body may be narrowed to (the bodies pages)


def scope_choices(path: str) -> list[tuple[str, str]]:
    """Grids and buildings inside a body's place a membership may be narrowed to."""
    if rules.level_of(path) != "compound":
        return []
    grids = Grid.objects.filter(path__startswith=path).order_by("name").values_list("pk", "name")
    buildings = (
        Building.objects.filter(path__startswith=path).order_by("name").values_list("pk", "name")
    )
    return [(f"g{pk}", name) for pk, name in grids] + [(f"b{pk}", name) for pk, name in buildings]


def scope_node(value: str, path: str):
    """The grid or building a ``scope_choices`` value names, if it lies inside ``path``."""
    model = {"g": Grid, "b": Building}.get(value[:1])
    pk = ascii_int(value[1:], minimum=1)
    if model is None or pk is None:
        return None
    return model.objects.filter(pk=pk, path__startswith=path).first()
