"""Writes on the place tree. Each creates the node, computes its path, and audits it."""

from __future__ import annotations

from django.db import transaction

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core import access
from gongzhi.core.access import ensure, is_superuser
from gongzhi.core.capabilities import Cap
from gongzhi.places.models import (
    Building,
    Community,
    Compound,
    District,
    Entrance,
    Grid,
    Room,
    Street,
)  # fmt: skip


def _create(actor, model, *, parent_path: str, cap: Cap = Cap.EDIT_ROSTER, **fields):
    ensure(actor is None or is_superuser(actor) or access.allows(actor, cap, parent_path))
    node = model(**fields)
    node.full_clean(exclude=["path"])
    node.save()
    audit.record(
        actor=actor, action=f"{model._meta.model_name}.create", obj=node, after=snapshot(node)
    )
    return node


@transaction.atomic
def district_create(*, actor, name: str, code: str = "") -> District:
    ensure(actor is None or is_superuser(actor))
    return _create(actor, District, parent_path="", name=name, code=code)


@transaction.atomic
def street_create(*, actor, district: District, name: str) -> Street:
    ensure(actor is None or is_superuser(actor))
    return _create(actor, Street, parent_path=district.path, district=district, name=name)


@transaction.atomic
def community_create(*, actor, street: Street, name: str) -> Community:
    ensure(actor is None or is_superuser(actor))
    return _create(actor, Community, parent_path=street.path, street=street, name=name)


@transaction.atomic
def compound_create(*, actor, community: Community, name: str, **fields) -> Compound:
    return _create(
        actor, Compound, parent_path=community.path, community=community, name=name, **fields
    )


@transaction.atomic
def compound_update(*, actor, compound: Compound, **fields) -> Compound:
    ensure(access.allows(actor, Cap.EDIT_ROSTER, compound.path))
    before = snapshot(compound, list(fields))
    for key, value in fields.items():
        setattr(compound, key, value)
    compound.full_clean()
    compound.save(update_fields=list(fields))
    audit.record(
        actor=actor,
        action="compound.update",
        obj=compound,
        before=before,
        after=snapshot(compound, list(fields)),
    )
    return compound


@transaction.atomic
def grid_create(*, actor, compound: Compound, name: str) -> Grid:
    return _create(actor, Grid, parent_path=compound.path, compound=compound, name=name)


@transaction.atomic
def building_create(
    *, actor, compound: Compound, name: str, grid: Grid | None = None, **fields
) -> Building:
    return _create(
        actor,
        Building,
        parent_path=compound.path,
        compound=compound,
        grid=grid,
        name=name,
        **fields,
    )


@transaction.atomic
def entrance_create(*, actor, building: Building, name: str) -> Entrance:
    return _create(actor, Entrance, parent_path=building.path, building=building, name=name)


@transaction.atomic
def room_create(
    *, actor, building: Building, name: str, entrance: Entrance | None = None, **fields
) -> Room:
    return _create(
        actor,
        Room,
        parent_path=building.path,
        building=building,
        compound=building.compound,
        entrance=entrance,
        name=name,
        **fields,
    )
