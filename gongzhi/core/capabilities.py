"""Named capabilities: what a role may do. Roles map to sets of these (bodies.rules, people.rules)."""

from enum import StrEnum


class Cap(StrEnum):
    VIEW_PLACE = "place.view"  # see a place, its buildings and its bodies
    VIEW_ROSTER = "roster.view"  # rooms, owners, residents (personal data masked)
    # Personal data in full (masked otherwise), split by need (docs/privacy.md):
    VIEW_PHONE = "people.phone"  # mobile numbers: those who serve residents
    VIEW_ID_NUMBER = "people.id_number"  # ID numbers: those who verify identity
    VIEW_CARE = "people.care"  # care flags (困难/特殊群体): care staff
    EDIT_ROSTER = "roster.edit"  # import, export, edit rooms and people
    MANAGE_BODIES = "bodies.manage"  # memberships and posts
    VIEW_AUDIT = "audit.view"
    EXPORT_AUDIT = "audit.export"
    VIEW_FIGURES = "figures.view"  # counts and figures for a place
    FILE_DEMAND = "demands.file"
    DISPATCH = "demands.dispatch"
    HANDLE = "demands.handle"
    VOTE = "voting.vote"
    MANAGE_VOTES = "voting.manage"


def known() -> frozenset[str]:
    """Every capability declared so far."""
    return frozenset(Cap)
