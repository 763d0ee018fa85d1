"""Access to people's data, and the grants living or owning somewhere gives (core.access)."""

from __future__ import annotations

from collections.abc import Iterator

from gongzhi.core import access
from gongzhi.core.access import Grant
from gongzhi.core.capabilities import Cap
from gongzhi.people.models import Ownership, Residency

RESIDENT_CAPS = frozenset({Cap.VIEW_PLACE, Cap.FILE_DEMAND})
OWNER_CAPS = frozenset({Cap.VIEW_PLACE, Cap.FILE_DEMAND, Cap.VOTE})


def residence_grants(user) -> Iterator[Grant]:
    if not user.person_id:
        return
    seen: set[tuple[str, str]] = set()
    residencies = Residency.objects.filter(
        person_id=user.person_id, until__isnull=True, household__moved_out__isnull=True
    ).values_list("household__room__compound__path", "household__room__compound__name")
    for path, name in residencies:
        if (path, "resident") not in seen:
            seen.add((path, "resident"))
            yield Grant(path, RESIDENT_CAPS, f"{name} · 居民", kind="resident")
    owned = Ownership.objects.filter(person_id=user.person_id, until__isnull=True).values_list(
        "room__compound__path", "room__compound__name"
    )
    for path, name in owned:
        if (path, "owner") not in seen:
            seen.add((path, "owner"))
            yield Grant(path, OWNER_CAPS, f"{name} · 业主", kind="owner")


def can_view_roster(user, place_path: str) -> bool:
    return access.allows(user, Cap.VIEW_ROSTER, place_path)


def can_view_contact(user, place_path: str) -> bool:
    """Full phone and ID numbers: only for the roles that need them, in their scope."""
    return access.allows(user, Cap.VIEW_CONTACT, place_path)


def can_edit_roster(user, place_path: str) -> bool:
    return access.allows(user, Cap.EDIT_ROSTER, place_path)
