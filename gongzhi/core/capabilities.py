"""Named capabilities (what a role may do) and the registry of who holds them.

Core names only the platform's own capabilities (``Cap``: places, roster, personal data,
bodies, audit, figures). Each feature app declares its own in its ``capabilities`` module
(a ``StrEnum`` passed to ``declare``, e.g. ``demands.dispatch``) and, in its manifest's
``register()``, grants them to roles with ``grant``, as Decidim's component manifests
declare their permissions. A role is a body post ``(kind, post)`` (bodies.rules names
the groups) or one of the standing roles below (living or owning somewhere, 双报到).

bodies.rules merges the platform's role table with these grants (``capabilities_of``);
``version()`` changes on every grant, so merged tables can be cached.
"""

from __future__ import annotations

from collections.abc import Iterable
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


# Standing roles that are not a post in a body, as (kind, post) keys like the posts.
RESIDENT = ("resident", "")  # lives in a compound (people.permissions)
OWNER = ("owner", "")  # owns a room there
DUAL_REGISTERED = ("dual_registered", "")  # 双报到: a party member registered with a community

Role = tuple[str, str]
Capability = str  # a Cap or an app's capability (StrEnum members are str)
# What the standing roles give of the platform; the apps grant theirs (filing, voting).
_STANDING_BASE: dict[Role, frozenset[str]] = {
    role: frozenset({Cap.VIEW_PLACE}) for role in (RESIDENT, OWNER, DUAL_REGISTERED)
}

_declared: dict[str, str] = {c.value: "core" for c in Cap}  # capability → declaring app
_granted: dict[Role, frozenset[str]] = {}
_appoints: dict[str, set[str]] = {}
_standing: tuple[int, dict[Role, frozenset[str]]] = (-1, {})  # standing(), per version
_version = 0


class CapabilityError(ValueError):
    """A capability declared twice or granted before it was declared."""


def declare(capabilities: type[StrEnum], *, app: str) -> type[StrEnum]:
    """Declare an app's capabilities (its ``StrEnum``; values are ``<app>.<verb>``)."""
    for cap in capabilities:
        owner = _declared.get(cap.value)
        if owner is not None and owner != app:
            raise CapabilityError(f"capability {cap.value!r} already declared by {owner!r}")
        if not cap.value.startswith(f"{app}."):
            raise CapabilityError(f"capability {cap.value!r} of {app!r} must start with {app}.")
    _declared.update({cap.value: app for cap in capabilities})
    return capabilities


def grant(roles: Iterable[Role], capabilities: Iterable[str]) -> None:
    """Give ``capabilities`` (declared ones) to every role in ``roles``."""
    caps = set(capabilities)
    unknown = sorted(caps - _declared.keys())
    if unknown:
        raise CapabilityError(f"granted before being declared: {', '.join(unknown)}")
    global _version
    for role in roles:
        role = tuple(role)
        _granted[role] = _granted.get(role, frozenset()) | caps
    _version += 1


def appoints(holder: str, capability: str) -> None:
    """Holders of ``holder`` may appoint people to posts that grant ``capability`` (a
    dispatcher appoints handlers) though they do not hold it themselves."""
    unknown = sorted({holder, capability} - _declared.keys())
    if unknown:
        raise CapabilityError(f"not declared: {', '.join(unknown)}")
    global _version
    _appoints.setdefault(holder, set()).add(capability)
    _version += 1


def granted(role: Role) -> frozenset[str]:
    """What the apps granted to ``role`` (the platform's own table is in bodies.rules)."""
    return _granted.get(role, frozenset())


def granted_roles() -> dict[Role, frozenset[str]]:
    return dict(_granted)


def standing(role: Role) -> frozenset[str]:
    """What a standing role (``RESIDENT``, ``OWNER``, ``DUAL_REGISTERED``) holds: asked by
    every request's grants, so kept until the next grant."""
    global _standing
    if _standing[0] != _version:
        _standing = (_version, {r: base | granted(r) for r, base in _STANDING_BASE.items()})
    return _standing[1][role]


def standing_roles() -> dict[Role, frozenset[str]]:
    return {role: standing(role) for role in _STANDING_BASE}


def appointable_with(held: Iterable[str]) -> set[str]:
    """``held`` and what its holder may appoint to besides (``appoints``)."""
    held = set(held)
    return held.union(*(_appoints.get(c, ()) for c in held))


def known() -> frozenset[str]:
    """Every capability declared so far."""
    return frozenset(_declared)


def app_of(capability: str) -> str:
    return _declared[capability]


def version() -> int:
    return _version
