"""Writes of the roster (花名册): import a whole file into one compound; export it.

An import is all or nothing. The file is read and every row checked first (rules.py, no
database); then, in one transaction, existing places, persons and relations are loaded
into dicts by name, the few checks that need the database run, and only when nothing is
wrong are the changes written in bulk, with one audit event. A compound of 3,000 rooms
takes a few dozen queries, not thousands.

Upsert: buildings, entrances and rooms are matched by name within the compound, persons
by ID number, else by name and phone, else (with neither) by name among the people of
that room; ownerships and residencies are added when missing. Nothing is deleted, and a
cell left empty leaves the stored value as it is, so importing the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.core.access import ensure
from gongzhi.core.capabilities import Cap
from gongzhi.people import permissions as people_permissions
from gongzhi.people import services as people_services
from gongzhi.people.models import Household, Ownership, Person, Residency
from gongzhi.people.selectors import Sight
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Building, Compound, Entrance, Grid, Room
from gongzhi.roster import permissions, rules, selectors
from gongzhi.roster.rules import PersonKey, Roster, RowError

BATCH = 500
KINDS = (
    "grids", "buildings", "entrances", "rooms", "persons", "ownerships", "households",
    "residencies",
)  # fmt: skip


class RosterInvalid(Exception):
    """The file was not imported; ``errors`` says why, by row and column: the first
    rules.MAX_ERRORS reasons and a line counting the rest; ``total`` counts them all."""

    def __init__(self, errors: list[RowError]):
        self.errors, self.total = rules.reported(errors)
        super().__init__(f"{self.total} problem(s) in the roster file")


@dataclass
class ImportResult:
    rows: int
    sha256: str
    counts: dict[str, dict[str, int]]

    @property
    def changed(self) -> bool:
        return any(n for c in self.counts.values() for n in c.values())


@dataclass
class RosterFile:
    content: bytes
    filename: str
    content_type: str


def roster_import(*, actor, compound: Compound, upload: Any, filename: str = "") -> ImportResult:
    """Import a roster file (bytes or an uploaded file) into ``compound``.

    Raises PermissionDenied outside the actor's scope, RosterInvalid (writing nothing)
    when anything in the file is wrong.
    """
    ensure(actor is None or permissions.can_import_roster(actor, compound))
    filename = filename or getattr(upload, "name", "") or ""
    data = _read_upload(upload)
    table, errors = rules.read_table(data, filename)
    if table is None or errors:
        raise RosterInvalid(errors)
    roster, errors = rules.validate(table)
    if roster is None or errors:
        raise RosterInvalid(errors)
    digest = hashlib.sha256(data).hexdigest()
    # Not @transaction.atomic on the whole function: reading and checking a large .xlsx
    # takes seconds and needs no database, so only the database work is in the transaction.
    with transaction.atomic():
        # One import per compound at a time (PostgreSQL; SQLite serialises writes anyway).
        Compound.objects.select_for_update().filter(pk=compound.pk).values_list("pk").get()
        upsert = _Upsert(compound, roster, actor=actor)
        errors = upsert.load()
        if errors:
            raise RosterInvalid(errors)
        counts = upsert.write()
        audit.record(
            actor=actor,
            action="roster.import",
            obj=compound,
            after={
                "filename": filename[:200],
                "sha256": digest,
                "rows": roster.rows,
                "counts": counts,
            },
            place_path=compound.path,
            also_at=upsert.touched_elsewhere,
        )
    return ImportResult(rows=roster.rows, sha256=digest, counts=counts)


def _read_upload(upload: Any) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    size = getattr(upload, "size", None)
    if size is not None and (too_big := rules.file_too_big(size)):
        raise RosterInvalid([too_big])
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(rules.MAX_BYTES + 1)


@transaction.atomic
def roster_export(*, actor, compound: Compound, fmt: str = "xlsx") -> RosterFile:
    """The compound's roster as a file, phones, ID numbers and the care column each masked
    unless the actor may see them there (people.permissions.reveal_at). Audited: it
    discloses personal data; the persons whose full ID numbers it holds are named in a
    second event of the same transaction (people.services.id_numbers_shown)."""
    ensure(permissions.can_export_roster(actor, compound))
    if fmt not in rules.FORMATS:
        raise ValueError(f"unknown roster format {fmt!r}")
    sight = Sight(permissions.export_reveal(actor, compound))
    reveal = sight.reveal
    masked = not (reveal.phone and reveal.id_number and reveal.care)
    rows = selectors.roster_rows(compound=compound, sight=sight)
    content = rules.write_table(rows, fmt)
    audit.record(
        actor=actor,
        action="roster.export",
        obj=compound,
        after={
            "format": fmt, "rows": len(rows), "masked": masked,
            "shown": {"phone": reveal.phone, "id_number": reveal.id_number, "care": reveal.care},
            "sha256": hashlib.sha256(content).hexdigest(),
        },
        place_path=compound.path,
    )  # fmt: skip
    people_services.id_numbers_shown(
        actor=actor, persons=sight.id_numbers_shown, place_path=compound.path,
        where="roster.export", label=compound.name,
    )  # fmt: skip
    names = {"compound": compound.name, "date": f"{timezone.localdate():%Y%m%d}", "fmt": fmt}
    if masked:
        filename = _("%(compound)s-花名册-%(date)s-打码.%(fmt)s") % names
    else:
        filename = _("%(compound)s-花名册-%(date)s.%(fmt)s") % names
    return RosterFile(
        content=content,
        filename=filename,
        content_type=rules.CONTENT_TYPES[fmt],
    )


def roster_template() -> RosterFile:
    """The blank template to fill in (no personal data, nothing to audit)."""
    return RosterFile(
        content=rules.write_template(),
        filename=_("花名册导入模板.xlsx"),
        content_type=rules.CONTENT_TYPES["xlsx"],
    )


def _chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Upsert:
    """One import's plan: what exists (loaded once), then what to create and update."""

    compound: Compound
    roster: Roster
    actor: Any = None
    # Places, outside this compound, of the people this import links (their auditors see it).
    touched_elsewhere: set[str] = field(default_factory=set)
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"created": 0, "updated": 0} for k in KINDS}
    )

    # -- loading and the checks that need the database ------------------------------------

    def load(self) -> list[RowError]:
        c = self.compound
        self.grids = {g.name: g for g in Grid.objects.filter(compound=c)}
        self.buildings = {b.name: b for b in Building.objects.filter(compound=c)}
        self.entrances = {
            (e.building_id, e.name): e for e in Entrance.objects.filter(building__compound=c)
        }
        self.rooms = {(r.building_id, r.name): r for r in Room.objects.filter(building__compound=c)}
        self.ownerships: dict[tuple[int, int], Ownership] = {}
        self.households: dict[tuple[int, int], Household] = {}  # (room, head) → household
        self.residencies: dict[tuple[int, int], Residency] = {}  # (household, person)
        # People without phone or ID number can only be recognised in their own room.
        self.room_people: dict[tuple[int, str], Person] = {}
        self.local_people: set[int] = set()
        for o in Ownership.objects.filter(
            room__building__compound=c, until__isnull=True
        ).select_related("person"):
            self.ownerships[(o.room_id, o.person_id)] = o
            self._note(o.room_id, o.person)
        for h in Household.objects.filter(room__building__compound=c, moved_out__isnull=True):
            if h.head_id:
                self.households.setdefault((h.room_id, h.head_id), h)
        for r in Residency.objects.filter(
            household__room__building__compound=c,
            household__moved_out__isnull=True,
            until__isnull=True,
        ).select_related("person", "household"):
            self.residencies[(r.household_id, r.person_id)] = r
            self._note(r.household.room_id, r.person)
        return self._check_places() + self._match_persons()

    def _note(self, room_id: int, person: Person) -> None:
        self.local_people.add(person.pk)
        if not person.phone and not person.id_number:
            self.room_people.setdefault((room_id, person.name), person)

    def _column(self, column: str) -> str:
        return self.roster.columns.get(column, column)

    def _check_places(self) -> list[RowError]:
        """Moving a building to another grid, or a room to another entrance, would change
        their paths (and those of everything below); the import refuses it."""
        errors = []
        grid_names = {g.pk: g.name for g in self.grids.values()}
        for spec in self.roster.buildings.values():
            building = self.buildings.get(spec.name)
            if building is None or not spec.grid:
                continue
            current = grid_names.get(building.grid_id)
            if current != spec.grid:
                errors.append(
                    RowError(
                        spec.row,
                        self._column(rules.GRID),
                        _("楼栋「%(building)s」在系统中属于「%(grid)s」;导入不能调整楼栋所属网格。")
                        % {"building": spec.name, "grid": current or _("小区(不在任何网格)")},
                    )
                )
        entrance_names = {e.pk: e.name for e in self.entrances.values()}
        for spec in self.roster.rooms.values():
            building = self.buildings.get(spec.building)
            room = self.rooms.get((building.pk, spec.name)) if building else None
            if room is None or not spec.entrance:
                continue
            current = entrance_names.get(room.entrance_id)
            if current != spec.entrance:
                errors.append(
                    RowError(
                        spec.row,
                        self._column(rules.ENTRANCE),
                        _("房屋「%(room)s」在系统中属于「%(entrance)s」;导入不能调整房屋所属单元。")
                        % {
                            "room": f"{spec.building} {spec.name}",
                            "entrance": current or _("楼栋(不在任何单元)"),
                        },
                    )
                )
        return errors

    def _match_persons(self) -> list[RowError]:
        """Find the people of the file among those already known.

        A person registered elsewhere (living, owning or serving outside this compound) is
        linked only if the importer holds roster.edit wherever they are registered
        (people.permissions.can_reach_person); otherwise an ID number refuses the row
        without telling whose it is, and a name with a phone is taken as a new person.
        A person registered nowhere may be linked by the right name and ID number.
        """
        specs = self.roster.persons
        by_id: dict[str, Person] = {}
        for chunk in _chunks(sorted({s.id_number for s in specs.values() if s.id_number})):
            by_id.update((p.id_number, p) for p in Person.objects.filter(id_number__in=chunk))
        by_name_phone: dict[tuple[str, str], list[Person]] = {}
        for chunk in _chunks(sorted({s.phone for s in specs.values() if s.phone})):
            for p in Person.objects.filter(phone__in=chunk).order_by("pk"):
                by_name_phone.setdefault((p.name, p.phone), []).append(p)
        elsewhere = self._registrations_elsewhere(
            [p for p in by_id.values()] + [p for ps in by_name_phone.values() for p in ps]
        )

        errors: list[RowError] = []
        self.people: dict[PersonKey, Person | None] = {}
        claimed: set[int] = set()
        for key, spec in specs.items():
            person = by_id.get(spec.id_number) if spec.id_number else None
            if person is not None and not self._may_link(person, elsewhere):
                errors.append(
                    RowError(
                        spec.row,
                        self._column(rules.ID_NUMBER),
                        _(
                            "该身份证号已在您管辖范围以外登记,不能在此导入;"
                            "请由同时管辖两地的工作人员办理。"
                        ),
                    )
                )
                continue
            if person is not None and person.name != spec.name:
                errors.append(
                    RowError(
                        spec.row,
                        self._column(rules.ID_NUMBER),
                        _("系统中该身份证号登记的姓名是「%(stored)s」,与「%(given)s」不一致。")
                        % {"stored": person.name, "given": spec.name}
                        if person.pk in self.local_people or person.pk in elsewhere
                        else _("系统中该身份证号登记的姓名与「%(given)s」不一致。")
                        % {"given": spec.name},
                    )
                )
                continue
            if person is None and spec.phone:
                candidates = [
                    p
                    for p in by_name_phone.get((spec.name, spec.phone), [])
                    if p.pk not in claimed
                    and not (spec.id_number and p.id_number)
                    and self._may_link(p, elsewhere)
                ]
                candidates.sort(key=lambda p: (p.pk not in self.local_people, p.pk))
                person = candidates[0] if candidates else None
            if person is None and key[0] == "room":
                building = self.buildings.get(key[1])
                room = self.rooms.get((building.pk, key[2])) if building else None
                person = self.room_people.get((room.pk, spec.name)) if room else None
            if person is not None:
                claimed.add(person.pk)
                self.touched_elsewhere.update(elsewhere.get(person.pk, ()))
            self.people[key] = person
        return errors

    def _registrations_elsewhere(self, people: list[Person]) -> dict[int, list[str]]:
        """Where the non-local ``people`` are registered, outside this compound."""
        ids = {p.pk for p in people if p.pk not in self.local_people}
        return {
            pk: [p for p in paths if not p.startswith(self.compound.path)]
            for pk, paths in people_permissions.registered_paths(ids).items()
        }

    def _may_link(self, person: Person, elsewhere: dict[int, list[str]]) -> bool:
        if person.pk in self.local_people or self.actor is None:
            return True
        paths = elsewhere.get(person.pk)
        if not paths:  # registered nowhere, or only in this compound
            return True
        return people_permissions.can_reach_person(self.actor, person, Cap.EDIT_ROSTER, paths=paths)

    # -- writing --------------------------------------------------------------------------

    def write(self) -> dict[str, dict[str, int]]:
        self._write_places()
        self._write_persons()
        self._write_ownerships()
        self._write_households()
        return self.counts

    def _count(self, kind: str, created: int = 0, updated: int = 0) -> None:
        self.counts[kind]["created"] += created
        self.counts[kind]["updated"] += updated

    def _create_nodes(self, model: type[models.Model], nodes: list, parent_path) -> None:
        """bulk_create skips PlaceNode.save, which sets ``path`` once the pk is known, so
        the paths are set here after the insert, in bulk too."""
        if not nodes:
            return
        model.objects.bulk_create(nodes, batch_size=BATCH)
        for node in nodes:
            node.path = place_rules.child_path(parent_path(node), model.LEVEL, node.pk)
        model.objects.bulk_update(nodes, ["path"], batch_size=BATCH)

    def _write_places(self) -> None:
        c, roster = self.compound, self.roster
        grids = [Grid(compound=c, name=n) for n in roster.grids if n not in self.grids]
        self._create_nodes(Grid, grids, lambda g: c.path)
        self.grids.update((g.name, g) for g in grids)
        self._count("grids", created=len(grids))

        buildings = [
            Building(compound=c, grid=self.grids[b.grid] if b.grid else None, name=b.name)
            for b in roster.buildings.values()
            if b.name not in self.buildings
        ]
        self._create_nodes(Building, buildings, lambda b: b.grid.path if b.grid else c.path)
        self.buildings.update((b.name, b) for b in buildings)
        self._count("buildings", created=len(buildings))

        entrances = [
            Entrance(building=self.buildings[b], name=e)
            for b, e in roster.entrances
            if (self.buildings[b].pk, e) not in self.entrances
        ]
        self._create_nodes(Entrance, entrances, lambda e: e.building.path)
        self.entrances.update(((e.building_id, e.name), e) for e in entrances)
        self._count("entrances", created=len(entrances))

        self.room_of: dict[rules.RoomKey, Room] = {}
        new_rooms, changed_rooms, changed_fields = [], [], set()
        for spec in roster.rooms.values():
            building = self.buildings[spec.building]
            entrance = self.entrances[(building.pk, spec.entrance)] if spec.entrance else None
            room = self.rooms.get((building.pk, spec.name))
            if room is None:
                room = Room(
                    building=building, compound=c, entrance=entrance, name=spec.name,
                    floor=spec.floor, exclusive_area=spec.area, area_source=spec.area_source,
                    use=spec.use or "residential",
                    held_by_developer=bool(spec.held_by_developer),
                )  # fmt: skip
                new_rooms.append(room)
            else:
                changes = _changes(
                    room,
                    floor=spec.floor,
                    exclusive_area=spec.area,
                    area_source=spec.area_source,
                    use=spec.use,
                    held_by_developer=spec.held_by_developer,
                )
                if changes:
                    changed_rooms.append(room)
                    changed_fields |= changes
            self.room_of[spec.key] = room
        self._create_nodes(Room, new_rooms, lambda r: (r.entrance or r.building).path)
        if changed_rooms:
            Room.objects.bulk_update(changed_rooms, sorted(changed_fields), batch_size=BATCH)
        self._count("rooms", created=len(new_rooms), updated=len(changed_rooms))

    def _write_persons(self) -> None:
        new, changed, changed_fields = [], [], set()
        for key, spec in self.roster.persons.items():
            person = self.people[key]
            if person is None:
                person = Person(
                    name=spec.name, gender=spec.gender or "", phone=spec.phone,
                    id_number=spec.id_number, is_vulnerable=bool(spec.vulnerable),
                )  # fmt: skip
                new.append(person)
                self.people[key] = person
                continue
            changes = _changes(
                person,
                gender=spec.gender,
                phone=spec.phone or None,
                id_number=spec.id_number,
                is_vulnerable=spec.vulnerable,
            )
            if changes:
                changed.append(person)
                changed_fields |= changes
        Person.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            Person.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
        self._count("persons", created=len(new), updated=len(changed))

    def _write_ownerships(self) -> None:
        """Owners are added; each room keeps exactly one designated voter: the one the file
        names (指定表决人=是), else the one already on record, else the first owner."""
        voter_of = {o.room_id: o for o in self.ownerships.values() if o.is_designated_voter}
        new: list[Ownership] = []
        unset: list[int] = []
        set_: list[int] = []
        for spec in self.roster.rooms.values():
            if not spec.owners:
                continue
            room = self.room_of[spec.key]
            owners = [(o, self.people[o.person]) for o in spec.owners]
            named = next(p for o, p in owners if o.designated)
            current = voter_of.get(room.pk)
            target = named.pk if spec.voter_explicit or current is None else current.person_id
            if current is not None and current.person_id != target:
                unset.append(current.pk)
            for _o, person in owners:
                ownership = self.ownerships.get((room.pk, person.pk))
                if ownership is None:
                    ownership = Ownership(
                        room=room, person=person, is_designated_voter=person.pk == target
                    )
                    self.ownerships[(room.pk, person.pk)] = ownership
                    new.append(ownership)
                elif person.pk == target and not ownership.is_designated_voter:
                    set_.append(ownership.pk)
        # In this order, so that no room has two designated voters at any moment.
        for chunk in _chunks(unset):
            Ownership.objects.filter(pk__in=chunk).update(is_designated_voter=False)
        for chunk in _chunks(set_):
            Ownership.objects.filter(pk__in=chunk).update(is_designated_voter=True)
        Ownership.objects.bulk_create(new, batch_size=BATCH)
        self._count("ownerships", created=len(new), updated=len(set(unset) | set(set_)))

    def _write_households(self) -> None:
        new_households, changed_households = [], []
        plans: list[tuple[Household, rules.HouseholdSpec]] = []
        for spec in self.roster.rooms.values():
            if spec.household is None:
                continue
            room = self.room_of[spec.key]
            head = self.people[spec.household.head]
            household = self.households.get((room.pk, head.pk))
            if household is None:
                household = Household(room=room, head=head, is_renting=spec.household.is_renting)
                self.households[(room.pk, head.pk)] = household
                new_households.append(household)
            elif household.is_renting != spec.household.is_renting:
                household.is_renting = spec.household.is_renting
                changed_households.append(household)
            plans.append((household, spec.household))
        Household.objects.bulk_create(new_households, batch_size=BATCH)
        if changed_households:
            Household.objects.bulk_update(changed_households, ["is_renting"], batch_size=BATCH)
        self._count("households", len(new_households), len(changed_households))

        new, changed, changed_fields = [], [], set()
        for household, plan in plans:
            for member in plan.members:
                person = self.people[member.person]
                residency = self.residencies.get((household.pk, person.pk))
                if residency is None:
                    residency = Residency(
                        person=person, household=household, relation=member.relation,
                        is_tenant=member.is_tenant,
                    )  # fmt: skip
                    self.residencies[(household.pk, person.pk)] = residency
                    new.append(residency)
                    continue
                changes = _changes(residency, relation=member.relation, is_tenant=member.is_tenant)
                if changes:
                    changed.append(residency)
                    changed_fields |= changes
        Residency.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            Residency.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
        self._count("residencies", created=len(new), updated=len(changed))


def _changes(obj: models.Model, **values: Any) -> set[str]:
    """Set the given values (None: not given, leave as it is); the names of fields changed."""
    changed = set()
    for name, value in values.items():
        if value is not None and getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.add(name)
    return changed
