"""Building assemblies for tests: rooms and owners, and an assembly open for voting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.voting import services
from tests import documents
from tests.factories import AccountFactory, BuildingFactory, OwnershipFactory, RoomFactory

PDF_BYTES = documents.PDF  # real files: core.uploads checks what a scan contains
PNG_BYTES = documents.PNG


def scan(name: str = "ballot.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_owner(
    compound, area: str = "89.57", *, building=None, use: str = "residential", person=None
):
    """A new room in ``compound`` and an owner with an account (returns the account)."""
    building = building or BuildingFactory(compound=compound)
    room = RoomFactory(building=building, exclusive_area=Decimal(area), use=use)
    account = AccountFactory() if person is None else person.account
    OwnershipFactory(room=room, person=account.person)
    return account


def open_assembly(
    actor,
    compound,
    questions=(("使用维修资金更换电梯", "use_maintenance_fund"),),
    *,
    at: dt.datetime | None = None,
    title: str = "2026年第一次业主大会",
    before=None,
):
    """An assembly whose roll was published 8 days before ``at`` and that is open at
    ``at`` (default: now) until one day later. ``before(assembly)`` runs while it is a draft."""
    at = at or timezone.now()
    assembly = services.assembly_create(
        actor=actor,
        compound=compound,
        title=title,
        opens_at=at - dt.timedelta(hours=1),
        closes_at=at + dt.timedelta(days=1),
    )
    for q_title, matter in questions:
        services.question_add(actor=actor, assembly=assembly, title=q_title, matter=matter)
    if before is not None:
        before(assembly)
    services.assembly_publish_roll(
        actor=actor, assembly=assembly, objection_days=7, now=at - dt.timedelta(days=8)
    )
    services.assembly_open(actor=actor, assembly=assembly, now=at - dt.timedelta(hours=1))
    assembly.refresh_from_db()
    return assembly


def after_close(assembly) -> dt.datetime:
    return assembly.closes_at + dt.timedelta(seconds=1)
