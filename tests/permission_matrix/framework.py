"""How the permission matrix is generated from every app's named predicates.

Every installed app with a ``permissions`` module has a matrix module: for an app of
gongzhi, ``tests/permission_matrix/apps/<label>.py``; for an app that lives elsewhere
(tests/plugin_app), its own ``matrix`` module. A matrix module has:

- ``build(cast) -> world``: the app's objects at each place (a demand in A, in a room of
  A, in B and in Z, say); optional, the world is then the cast itself;
- ``PREDICATES``: for each public function of the permissions module that answers "may
  this user ...?", a ``Check``: how to ask it of a user at a place of the world, and the
  roles allowed at each place (every other role must be refused). A function asked in
  several situations has more keys, ``"can_close[resolved]"``: the name before ``[``;
- ``HELPERS``: every other public function of the module, with what it is instead (a
  grant provider, a cache, a pure helper) and where it is tested.

test_predicates.py fails when a public function of a permissions module is in neither,
when a name in either does not exist, and, for every check, when a role of the cast, a
superuser, an inactive account or a member of a dissolved body gets another answer.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps
from django.http import Http404

from tests.permission_matrix.tables import PLACES, ROLES

ANYWHERE = "anywhere"  # the place of a question that names no place ("anywhere at all?")


@dataclass(frozen=True)
class Check:
    """One predicate in the matrix: ``ask(user, world, place) -> bool`` and, per place it
    is asked at, the roles allowed there. ``superuser``: what a superuser is answered
    (True: everything, as ``access.allows``; False where a right is personal, a vote)."""

    ask: Callable[[object, object, str], bool]
    allowed: Mapping[str, frozenset[str]]
    superuser: bool = True
    note: str = ""

    def __post_init__(self):
        unknown = {r for roles in self.allowed.values() for r in roles} - set(ROLES)
        assert not unknown, f"unknown roles {sorted(unknown)}"


def at(A: Iterable[str] = (), room: Iterable[str] | None = None, B: Iterable[str] = (),
       Z: Iterable[str] = ()) -> dict[str, frozenset[str]]:  # fmt: skip
    """The roles allowed at each of the four places (``room`` defaults to A's)."""
    a = frozenset(A)
    return {
        "A": a,
        "A/1号楼": a if room is None else frozenset(room),
        "B": frozenset(B),
        "Z": frozenset(Z),
    }


def anywhere(roles: Iterable[str]) -> dict[str, frozenset[str]]:
    """For a question that names no place: the roles answered yes."""
    return {ANYWHERE: frozenset(roles)}


def found(getter: Callable[[], object]) -> bool:
    """A scoped getter's answer: True when it returns, False when it raises 404."""
    try:
        getter()
    except Http404:
        return False
    return True


@dataclass
class AppMatrix:
    label: str
    permissions: ModuleType
    matrix: ModuleType
    predicates: dict[str, Check] = field(default_factory=dict)
    helpers: dict[str, str] = field(default_factory=dict)

    def build(self, cast):
        build = getattr(self.matrix, "build", None)
        return build(cast) if build else cast


def public_functions(module: ModuleType) -> set[str]:
    """The functions a permissions module defines and does not mark private."""
    return {
        name
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and obj.__module__ == module.__name__
        and not name.startswith("_")
    }


def _matrix_module(config) -> ModuleType | None:
    for name in (f"tests.permission_matrix.apps.{config.label}", f"{config.name}.matrix"):
        if importlib.util.find_spec(name) is not None:
            return importlib.import_module(name)
    return None


def apps_with_permissions() -> list[tuple[object, ModuleType]]:
    found_ = []
    for config in apps.get_app_configs():
        if not (config.name.startswith("gongzhi.") or config.name.startswith("tests.")):
            continue
        name = f"{config.name}.permissions"
        if importlib.util.find_spec(name) is not None:
            found_.append((config, importlib.import_module(name)))
    return found_


def discover() -> tuple[list[AppMatrix], list[str]]:
    """Every app's matrix, and the apps whose permissions module has none."""
    matrices, missing = [], []
    for config, permissions in apps_with_permissions():
        matrix = _matrix_module(config)
        if matrix is None:
            missing.append(config.label)
            continue
        matrices.append(
            AppMatrix(
                config.label, permissions, matrix,
                dict(getattr(matrix, "PREDICATES", {})), dict(getattr(matrix, "HELPERS", {})),
            )
        )  # fmt: skip
    return matrices, missing


def places_of(check: Check) -> tuple[str, ...]:
    return tuple(p for p in (*PLACES, ANYWHERE) if p in check.allowed)
