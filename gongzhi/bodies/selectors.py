"""Reads on bodies and memberships."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongzhi.bodies.models import Body, Membership, term_current_q
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
