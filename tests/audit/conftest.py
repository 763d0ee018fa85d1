"""Events of the cast's places, for the audit log's read side."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gongzhi.audit import services as audit
from gongzhi.audit.models import AuditEvent


def make_event(place_path: str, *, action: str = "room.update", actor=None, **fields) -> AuditEvent:
    """One event, written the way services write them (inside the test's transaction)."""
    fields.setdefault("object_type", "places.room")
    fields.setdefault("object_id", "1")
    fields.setdefault("object_repr", "1号楼-101")
    return audit.record(actor=actor, action=action, place_path=place_path, **fields)


@dataclass
class Events:
    a: AuditEvent  # in a room of compound A
    a_compound: AuditEvent  # on compound A itself
    b: AuditEvent
    z: AuditEvent
    community: AuditEvent  # on community C1 (above A and B)
    street: AuditEvent  # on street S1 (above everything)
    placeless: AuditEvent  # no place: superusers only

    def all(self) -> list[AuditEvent]:
        return list(vars(self).values())


@pytest.fixture
def events(cast) -> Events:
    return Events(
        a=make_event(cast.room_a.path, actor=cast.community_worker, object_repr="甲小区房屋"),
        a_compound=make_event(
            cast.a.path, action="compound.update", object_type="places.compound",
            object_id=str(cast.a.pk), object_repr="甲小区",
            before={"address": "旧地址", "built_year": 1998},
            after={"address": "新地址", "built_year": 1998},
        ),
        b=make_event(cast.room_b.path, object_repr="乙小区房屋"),
        z=make_event(cast.room_z.path, object_repr="丙小区房屋"),
        community=make_event(
            cast.community.path, action="body.create", object_type="bodies.body",
            object_repr="一社区居委会",
        ),
        street=make_event(
            cast.street.path, action="body.create", object_type="bodies.body",
            object_repr="一街道办事处",
        ),
        placeless=make_event("", action="account.create", object_type="people.account",
                             object_repr="无位置账号"),
    )  # fmt: skip


@pytest.fixture
def superuser(db):
    from gongzhi.people.models import Account

    return Account.objects.create_superuser("13700000001", "gongzhi-pass-123")
