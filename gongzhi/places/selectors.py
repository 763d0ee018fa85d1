"""Reads on the place tree, for views and the API. Counts and sums run in the database."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from gongzhi.places.models import Building, Compound, Room
from gongzhi.places.permissions import compounds_visible_to


def compound_list_for(user) -> QuerySet[Compound]:
    """The compounds the user may see, with their community and street, by name."""
    return (
        compounds_visible_to(user)
        .select_related("community__street__district")
        .order_by("community__street__name", "community__name", "name")
    )


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
