"""Access to people's data, and the grants living or owning somewhere gives (core.access)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from gongzhi.core import access
from gongzhi.core.access import Grant
from gongzhi.core.capabilities import Cap

RESIDENT_CAPS = frozenset({Cap.VIEW_PLACE, Cap.FILE_DEMAND})
OWNER_CAPS = frozenset({Cap.VIEW_PLACE, Cap.FILE_DEMAND, Cap.VOTE})


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
            yield Grant(home.compound_path, RESIDENT_CAPS,
                        _("%(compound)s · 居民") % {"compound": home.compound_name},
                        kind="resident")  # fmt: skip
        else:
            yield Grant(home.compound_path, OWNER_CAPS,
                        _("%(compound)s · 业主") % {"compound": home.compound_name},
                        kind="owner")  # fmt: skip


def can_view_roster(user, place_path: str) -> bool:
    return access.allows(user, Cap.VIEW_ROSTER, place_path)


def can_view_contact(user, place_path: str) -> bool:
    """Full phone and ID numbers: only for the roles that need them, in their scope."""
    return access.allows(user, Cap.VIEW_CONTACT, place_path)


def can_edit_roster(user, place_path: str) -> bool:
    return access.allows(user, Cap.EDIT_ROSTER, place_path)
