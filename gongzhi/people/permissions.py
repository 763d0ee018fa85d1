"""Access to people's data, and the grants living or owning somewhere gives (core.access)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core import access, capabilities
from gongzhi.core.access import Grant
from gongzhi.core.capabilities import Cap
from gongzhi.people.rules import Reveal


def residence_grants(user) -> Iterator[Grant]:
    """One grant per compound where the user lives (resident) and per compound where
    they own (owner), from ``selectors.homes_of`` (one query)."""
    from gongzhi.people.selectors import homes_of

    seen: set[tuple[str, str]] = set()
    for home in homes_of(user):
        if (home.compound_path, home.relation) in seen:
            continue
        seen.add((home.compound_path, home.relation))
        if home.relation == "resident":
            yield Grant(home.compound_path, capabilities.standing(capabilities.RESIDENT),
                        _("%(compound)s · 居民") % {"compound": home.compound_name},
                        kind="resident")  # fmt: skip
        else:
            yield Grant(home.compound_path, capabilities.standing(capabilities.OWNER),
                        _("%(compound)s · 业主") % {"compound": home.compound_name},
                        kind="owner")  # fmt: skip


def can_view_roster(user, place_path: str) -> bool:
    return access.allows(user, Cap.VIEW_ROSTER, place_path)


# -- Personal data, minimum necessary (PIPL; the role table: docs/privacy.md) -----------


def can_view_phone(user, place_path: str) -> bool:
    """Full mobile numbers: for those who serve the residents there."""
    return access.allows(user, Cap.VIEW_PHONE, place_path)


def can_view_id_number(user, place_path: str) -> bool:
    """Full ID numbers (and birth dates): only for those who verify identity there."""
    return access.allows(user, Cap.VIEW_ID_NUMBER, place_path)


def can_view_care(user, place_path: str) -> bool:
    """Care flags (困难/特殊群体): only for care staff there."""
    return access.allows(user, Cap.VIEW_CARE, place_path)


def reveal_at(user, place_path: str) -> Reveal:
    """What of people's personal data ``user`` sees in full at ``place_path``."""
    return Reveal(
        phone=can_view_phone(user, place_path),
        id_number=can_view_id_number(user, place_path),
        care=can_view_care(user, place_path),
    )


def reveal_at_any(user, place_paths: Iterable[str]) -> Reveal:
    """What ``user`` sees in full of a person met at several places: each kind of data
    shown if it may be shown at one of them."""
    reveals = [reveal_at(user, p) for p in place_paths]
    return Reveal(
        phone=any(r.phone for r in reveals),
        id_number=any(r.id_number for r in reveals),
        care=any(r.care for r in reveals),
    )


def can_edit_roster(user, place_path: str) -> bool:
    return access.allows(user, Cap.EDIT_ROSTER, place_path)


# -- Whom a write may name: a person is reached where they are registered ---------------
#
# A person is *registered* at the rooms they live in or own now; a person with no home is
# registered at the scopes of their current posts (a property clerk living elsewhere),
# as other apps tell through ``register_person_places``. A write that names a person (an
# appointment, a roster row, a proxy) reaches them only if the actor holds the write's
# capability at EVERY place the person is registered: so linking a person registered in
# compound C into compound A needs someone whose scope covers both (a community worker
# over both, or the street), and a person registered nowhere only a superuser.

PERSON_NOT_FOUND = gettext_lazy("没有这个人员,或此人不在您的管辖范围内。")

PersonPlaces = Callable[[Iterable[int]], dict[int, list[str]]]
_person_places: list[PersonPlaces] = []


def register_person_places(provider: PersonPlaces) -> None:
    """Add a source of where people without a home are registered (bodies: posts)."""
    if provider not in _person_places:
        _person_places.append(provider)


def registered_paths(person_ids: Iterable[int]) -> dict[int, list[str]]:
    """Where each person is registered (see above); people registered nowhere are absent."""
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    found = _home_paths(ids)
    homeless = [i for i in ids if i not in found]
    for provider in _person_places if homeless else ():
        for person_id, paths in provider(homeless).items():
            found.setdefault(person_id, set()).update(p for p in paths if p)
    return {i: sorted(paths) for i, paths in found.items() if paths}


def _home_paths(ids: list[int]) -> dict[int, set[str]]:
    """The rooms each person lives in or owns now."""
    from gongzhi.people.models import Ownership, Residency

    found: dict[int, set[str]] = {}
    for person_id, path in Residency.objects.filter(
        person_id__in=ids, until__isnull=True, household__moved_out__isnull=True
    ).values_list("person_id", "household__room__path"):
        found.setdefault(person_id, set()).add(path)
    for person_id, path in Ownership.objects.filter(
        person_id__in=ids, until__isnull=True
    ).values_list("person_id", "room__path"):
        found.setdefault(person_id, set()).add(path)
    return found


def can_reach_person(user, person, capability: Cap, *, paths: list[str] | None = None) -> bool:
    """May ``user`` name ``person`` in a write that needs ``capability``?"""
    if access.is_superuser(user):
        return True
    if paths is None:
        paths = registered_paths([person.pk]).get(person.pk, [])
    return bool(paths) and all(access.allows(user, capability, p) for p in paths)


def get_person_for(user, pk: int, *, capability: Cap = Cap.VIEW_ROSTER):
    """The person, if ``user`` reaches them with ``capability``; 404 otherwise."""
    from gongzhi.people.models import Person

    person = Person.objects.filter(pk=pk).first()
    if person is None or not can_reach_person(user, person, capability):
        raise Http404
    return person


def person_getter(capability: Cap):
    """``get_person_for`` with the capability fixed: for ``core.refs.ScopedRef``."""

    def getter(user, pk: int):
        return get_person_for(user, pk, capability=capability)

    return getter


def lives_or_owns_in(person, compound_path: str) -> bool:
    """Does ``person`` live in or own a room of the compound at ``compound_path`` now? (A
    post there is no home: a property clerk is not one of the compound's residents.)"""
    return any(p.startswith(compound_path) for p in _home_paths([person.pk]).get(person.pk, ()))


def get_resident_for(user, compound, pk: int, *, capability: Cap | None = None):
    """A person living in or owning a room of ``compound`` now (the reporter of a demand
    filed on their behalf, a proxy holder), if ``user`` holds ``capability`` there when one
    is named; 404 otherwise, the same for a missing id and a person of elsewhere."""
    from gongzhi.people.models import Person

    if capability is not None and not access.allows(user, capability, compound.path):
        raise Http404
    person = Person.objects.filter(pk=pk).first()
    if person is None or not lives_or_owns_in(person, compound.path):
        raise Http404
    return person


def registered_elsewhere(person, place_path: str) -> list[str]:
    """Where ``person`` is registered outside the compound of ``place_path`` (a room's)."""
    from gongzhi.places import rules as place_rules

    compound = place_rules.ancestor_at(place_path, "compound") or place_path
    paths = registered_paths([person.pk]).get(person.pk, [])
    return [p for p in paths if not p.startswith(compound)]


def may_link_person(user, person, capability: Cap, *, elsewhere: list[str]) -> bool:
    """May ``user`` link ``person`` into a room (a household, a residency, an ownership)
    whose compound leaves ``elsewhere`` (``registered_elsewhere``)? A person registered
    nowhere else, yes; one registered elsewhere only if ``user`` holds ``capability``
    wherever that is (the rule of the roster import)."""
    return (
        user is None or not elsewhere or can_reach_person(user, person, capability, paths=elsewhere)
    )
