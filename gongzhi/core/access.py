"""The one access mechanism every app builds its permissions on.

A person's grants come from their memberships and posts (bodies), and from where they
live or own (people). Each grant is a set of capabilities over a node of the place
tree, given by its path. "May user U do C at place P" is then: some grant of U holds C
and P lies inside that grant's node. Apps register grant providers in ``AppConfig.ready``;
each app's ``permissions.py`` names its predicates on top of ``allows``/``scope_q``.
Views and the API never decide access themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from gongzhi.core.capabilities import Capability


@dataclass(frozen=True)
class Grant:
    path: str
    capabilities: frozenset[Capability]
    source: str  # human label, e.g. "社区居委会 · 社区工作者"
    kind: str = ""  # body kind or "resident"/"owner"
    post: str = ""


GrantProvider = Callable[[object], Iterable[Grant]]
_providers: list[GrantProvider] = []
_CACHE_ATTR = "_gongzhi_grants"  # see CACHE_PREFIX


def register_provider(provider: GrantProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def grants_for(user) -> tuple[Grant, ...]:
    """All grants of ``user``, computed once per user object (i.e. per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = tuple(g for provider in _providers for g in provider(user) if g.path)
        setattr(user, _CACHE_ATTR, cached)
    return cached


CACHE_PREFIX = "_gongzhi_"  # every per-request cache kept on a user object starts so


def forget(user) -> None:
    """Drop what was cached on the user object (grants, homes, memberships...) after the
    user's memberships, residencies or ownerships changed."""
    if user is None:
        return
    for name in [n for n in dir(user) if n.startswith(CACHE_PREFIX)]:
        delattr(user, name)


def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def allows(user, capability: Capability, path: str) -> bool:
    """May ``user`` exercise ``capability`` at the place ``path``?"""
    if not path:
        return False
    if is_superuser(user):
        return True
    return any(capability in g.capabilities and path.startswith(g.path) for g in grants_for(user))


def capabilities_at(user, path: str) -> frozenset[str]:
    """Every capability ``user`` holds at the place ``path`` (all known ones for superusers)."""
    if not path:
        return frozenset()
    if is_superuser(user):
        from gongzhi.core.capabilities import known

        return known()
    return frozenset(
        cap for g in grants_for(user) if path.startswith(g.path) for cap in g.capabilities
    )


def reaches(user, path: str) -> bool:
    """Does some grant of ``user`` lie inside ``path``? (A building leader reaches the compound.)"""
    if not path:
        return False
    if is_superuser(user):
        return True
    return any(g.path.startswith(path) or path.startswith(g.path) for g in grants_for(user))


def paths_for(user, capability: Capability) -> list[str]:
    """The outermost paths where ``user`` holds ``capability``."""
    paths = sorted({g.path for g in grants_for(user) if capability in g.capabilities})
    outermost: list[str] = []
    for p in paths:
        if not any(p.startswith(o) for o in outermost):
            outermost.append(p)
    return outermost


def scope_q(user, capability: Capability, field: str = "path") -> Q:
    """A filter selecting the rows whose ``field`` path lies where ``user`` holds ``capability``."""
    if is_superuser(user):
        return Q()
    q = Q(pk__in=[])
    for p in paths_for(user, capability):
        q |= Q(**{f"{field}__startswith": p})
    return q


def ensure(condition: bool, message: str = "您没有权限执行此操作。") -> None:
    """Raise PermissionDenied unless ``condition`` holds."""
    if not condition:
        raise PermissionDenied(message)


# --- who holds a capability at a place: the reverse of ``allows`` -----------------------

HolderProvider = Callable[..., Iterable[int]]
_holder_providers: list[HolderProvider] = []


def register_holder_provider(provider: HolderProvider) -> None:
    """An app whose grant provider gives capabilities also says who holds them at a place:
    ``provider(capabilities, path, *, on, body)`` yields the ids of the persons whose
    grants from that app hold one of ``capabilities`` at ``path`` on the day ``on``
    (only through posts in the body ``body``, when one is given)."""
    if provider not in _holder_providers:
        _holder_providers.append(provider)


def holders(
    capabilities: Capability | Iterable[Capability], path: str, *, body: int | None = None, on=None
):
    """The active accounts holding one of ``capabilities`` at the place ``path``: those for
    whom ``allows(account, capability, path)`` holds through a grant (superusers are not
    listed), in account order. ``body`` narrows to the posts in that body (its members
    who may act on a demand it handles). Who to tell, who may be asked: the one answer,
    from the same grants and the same meaning of a current post as ``allows``."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    wanted = frozenset({capabilities} if isinstance(capabilities, str) else capabilities)
    if not path or not wanted:
        return []
    day = on or timezone.localdate()
    persons = {
        person
        for provider in _holder_providers
        for person in provider(wanted, path, on=day, body=body)
        if person
    }
    if not persons:
        return []
    return list(
        get_user_model()
        .objects.filter(person_id__in=sorted(persons), is_active=True)
        .order_by("pk")
    )
