"""Reads about people. Personal data is masked unless the reader's role needs it
(people.permissions.reveal_at; docs/privacy.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from gongzhi.core import sql
from gongzhi.people import permissions, rules
from gongzhi.people.models import Household, Ownership, Person, Residency
from gongzhi.places.models import Compound, Room


@dataclass(frozen=True)
class PersonCard:
    """What a reader may see of a person: phone and ID number masked, the care flag
    ``None`` (not shown), unless the reader's Reveal says otherwise."""

    id: int
    name: str
    gender: str
    phone: str
    id_number: str
    is_vulnerable: bool | None
    masked: bool  # phone or ID number masked


def person_card(person: Person, *, reveal: rules.Reveal) -> PersonCard:
    """A person as a reader who sees ``reveal`` sees them. Where full ID numbers are
    shown, build the cards with a ``Sight``, so that the display is recorded."""
    if not isinstance(reveal, rules.Reveal):
        raise TypeError("person_card needs a people.rules.Reveal")
    return PersonCard(
        id=person.pk,
        name=person.name,
        gender=person.get_gender_display() if person.gender else "",
        phone=person.phone if reveal.phone else rules.mask_phone(person.phone),
        id_number=(
            (person.id_number or "") if reveal.id_number else rules.mask_id_number(person.id_number)
        ),
        is_vulnerable=person.is_vulnerable if reveal.care else None,
        masked=reveal.masked,
    )


@dataclass
class Sight:
    """What one reader sees of people at one place, and whose full ID numbers they were
    shown: each page or export that shows cards through a Sight then records those
    (``people.services.id_numbers_shown``), one event for the page naming the persons."""

    reveal: rules.Reveal
    id_numbers_shown: set[int] = field(default_factory=set)

    def card(self, person: Person) -> PersonCard:
        if self.reveal.id_number and person.id_number:
            self.id_numbers_shown.add(person.pk)
        return person_card(person, reveal=self.reveal)


def sight_at(user, place_path: str) -> Sight:
    return Sight(permissions.reveal_at(user, place_path))


def residents_of(compound: Compound, *, search: str = "") -> QuerySet[Residency]:
    """Current residents of a compound with their room and household, by building and room."""
    qs = (
        Residency.objects.filter(
            household__room__compound=compound,
            household__moved_out__isnull=True,
            until__isnull=True,
        )
        .select_related("person", "household__room__building", "household__room__entrance")
        .order_by("household__room__building__name", "household__room__name", "id")
    )
    if search:
        qs = qs.filter(Q(person__name__contains=search) | Q(household__room__name__contains=search))
    return qs


def resident_cards(residencies, sight: Sight) -> list[dict]:
    """Rows of the residents page (one page of ``residents_of``), seen through ``sight``."""
    return [
        {
            "person": sight.card(r.person),
            "room": r.household.room,
            "relation": r.get_relation_display(),
            "is_tenant": r.is_tenant,
        }
        for r in residencies
    ]


def places_of_person(person: Person) -> dict:
    """The rooms a person lives in or owns (for their own home page)."""
    from gongzhi.people.models import Ownership

    return {
        "residencies": list(
            Residency.objects.filter(person=person, until__isnull=True).select_related(
                "household__room__building", "household__room__compound"
            )
        ),
        "ownerships": list(
            Ownership.objects.filter(person=person, until__isnull=True).select_related(
                "room__building", "room__compound"
            )
        ),
    }


@dataclass(frozen=True)
class Home:
    """A room the person lives in now (``relation`` "resident") or owns now ("owner")."""

    relation: str
    room_id: int
    compound_path: str
    compound_name: str


_HOMES_CACHE = "_gongzhi_homes"  # dropped by core.access.forget


def homes_of(user) -> tuple[Home, ...]:
    """Where the user's person lives and owns now, in one query, kept on the user object
    (one request): the grants of living or owning (people.permissions) and the filing
    check "your own room" both read it."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return ()
    cached = getattr(user, _HOMES_CACHE, None)
    if cached is None:
        cached = tuple(Home(*row) for row in sql.rows(_homes_sql(), [person_id, person_id]))
        setattr(user, _HOMES_CACHE, cached)
    return cached


def _homes_sql() -> str:
    """Current residencies (household not moved out) and ownerships, with the compound."""

    def build(q):
        t = {m.__name__: q(m._meta.db_table) for m in (Residency, Household, Ownership, Room,
                                                        Compound)}  # fmt: skip
        return (
            f"SELECT 'resident', h.{q('room_id')}, c.{q('path')}, c.{q('name')}"
            f" FROM {t['Residency']} r JOIN {t['Household']} h ON h.{q('id')} = r.{q('household_id')}"
            f" JOIN {t['Room']} m ON m.{q('id')} = h.{q('room_id')}"
            f" JOIN {t['Compound']} c ON c.{q('id')} = m.{q('compound_id')}"
            f" WHERE r.{q('person_id')} = %s AND r.{q('until')} IS NULL"
            f" AND h.{q('moved_out')} IS NULL"
            f" UNION ALL SELECT 'owner', o.{q('room_id')}, c.{q('path')}, c.{q('name')}"
            f" FROM {t['Ownership']} o JOIN {t['Room']} m ON m.{q('id')} = o.{q('room_id')}"
            f" JOIN {t['Compound']} c ON c.{q('id')} = m.{q('compound_id')}"
            f" WHERE o.{q('person_id')} = %s AND o.{q('until')} IS NULL"
            " ORDER BY 1 DESC, 3, 2"  # resident before owner, as the grants were listed
        )

    return sql.statement("homes_of", build)
