"""Reads on bodies and memberships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongzhi.bodies.models import (
    Body,
    CentralHouseholdLink,
    Membership,
    Post,
    term_current_q,
)
from gongzhi.places.selectors import ancestors_of


def bodies_of_place(path: str) -> QuerySet[Body]:
    """Bodies at the place, inside it (grid and building groups), and above it."""
    today = timezone.localdate()
    active = term_current_q(today, "memberships__")  # the bodies are current
    return (
        Body.objects.current(today)
        .filter(Q(place_path__startswith=path) | Q(place_path__in=ancestors_of(path)))
        .annotate(active_members=Count("memberships", filter=active))
        .order_by("place_path", "kind", "name")
    )


def body_with_members(body_pk: int) -> Body:
    return Body.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("person").order_by("post", "id"),
            to_attr="current_memberships",
        )
    ).get(pk=body_pk)


def memberships_of(person_pk: int) -> QuerySet[Membership]:
    return Membership.objects.active().filter(person_id=person_pk).select_related("body")


def person_in_scope(term: str, path: str) -> list:
    """Persons whose phone or ID number is ``term`` and who live, own or serve inside ``path``."""
    from gongzhi.people.models import Person
    from gongzhi.people.rules import normalise_mobile

    term = (term or "").strip()
    if not term or not path:
        return []
    phone = normalise_mobile(term)
    inside = (
        Q(
            residencies__household__room__path__startswith=path,
            residencies__until__isnull=True,
        )
        | Q(ownerships__room__path__startswith=path, ownerships__until__isnull=True)
        | Q(memberships__scope_path__startswith=path)
    )
    return list(
        Person.objects.filter(Q(phone=phone) | Q(id_number=term.upper()))
        .filter(inside)
        .distinct()
        .order_by("pk")[:5]
    )


def central_links(memberships: Iterable) -> dict[int, list]:
    """Households linked to the given central-household memberships, by membership id."""
    ids = [m.pk for m in memberships if m.post == Post.CENTRAL_HOUSEHOLD]
    out: dict[int, list] = defaultdict(list)
    if not ids:
        return out
    links = (
        CentralHouseholdLink.objects.filter(membership_id__in=ids)
        .select_related("household__room__building", "household__head")
        .order_by("household__room__building__name", "household__room__name")
    )
    for link in links:
        out[link.membership_id].append(link)
    return out
