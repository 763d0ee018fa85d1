"""Reads about people. Contacts are masked unless the reader's role needs them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongzhi.people import permissions, rules
from gongzhi.people.models import Person, Residency
from gongzhi.places.models import Compound


@dataclass(frozen=True)
class PersonCard:
    """What a reader may see of a person."""

    id: int
    name: str
    gender: str
    phone: str
    id_number: str
    is_vulnerable: bool
    masked: bool


def person_card(person: Person, *, reveal: bool) -> PersonCard:
    return PersonCard(
        id=person.pk,
        name=person.name,
        gender=person.get_gender_display() if person.gender else "",
        phone=person.phone if reveal else rules.mask_phone(person.phone),
        id_number=(person.id_number or "") if reveal else rules.mask_id_number(person.id_number),
        is_vulnerable=person.is_vulnerable,
        masked=not reveal,
    )


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


def resident_cards(user, compound: Compound, *, search: str = "") -> list[dict]:
    """Residents as the user may see them: contacts revealed only to roles that need them."""
    reveal = permissions.can_view_contact(user, compound.path)
    return [
        {
            "person": person_card(r.person, reveal=reveal),
            "room": r.household.room,
            "relation": r.get_relation_display(),
            "is_tenant": r.is_tenant,
        }
        for r in residents_of(compound, search=search)
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
