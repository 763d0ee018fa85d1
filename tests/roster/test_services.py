"""Roster import and export (gongzhi.roster.services) against the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gongzhi.audit.models import AuditEvent
from gongzhi.core import access
from gongzhi.core.access import Grant
from gongzhi.core.capabilities import Cap
from gongzhi.people.models import Household, Ownership, Person, Residency
from gongzhi.places.models import Building, Compound, Entrance, Grid, Room
from gongzhi.roster import rules, services
from gongzhi.roster.services import RosterInvalid
from tests.factories import (
    AccountFactory,
    CompoundFactory,
    OwnershipFactory,
    PersonFactory,
    RoomFactory,
)
from tests.roster import files
from tests.roster.files import owner_row, row


def run_import(actor, compound, rows, fmt="csv"):
    data = files.csv_bytes(rows) if fmt == "csv" else files.xlsx_bytes(rows)
    return services.roster_import(
        actor=actor, compound=compound, upload=data, filename=f"花名册.{fmt}"
    )


def state(compound: Compound) -> dict[str, set]:
    """Everything an import may touch in ``compound``, as comparable values."""
    rooms = Room.objects.filter(building__compound=compound)
    return {
        "grids": set(Grid.objects.filter(compound=compound).values_list("name", "path")),
        "buildings": set(
            Building.objects.filter(compound=compound).values_list("name", "grid__name", "path")
        ),
        "entrances": set(
            Entrance.objects.filter(building__compound=compound).values_list("name", "path")
        ),
        "rooms": set(
            rooms.values_list(
                "name",
                "path",
                "entrance__name",
                "floor",
                "exclusive_area",
                "area_source",
                "use",
                "held_by_developer",
            )
        ),  # fmt: skip
        "persons": set(
            Person.objects.values_list(
                "pk", "name", "gender", "phone", "id_number", "is_vulnerable"
            )
        ),
        "ownerships": set(
            Ownership.objects.filter(room__in=rooms).values_list(
                "room__path", "person_id", "is_designated_voter"
            )
        ),
        "households": set(
            Household.objects.filter(room__in=rooms).values_list(
                "pk", "room__path", "head_id", "is_renting"
            )
        ),
        "residencies": set(
            Residency.objects.filter(household__room__in=rooms).values_list(
                "household_id", "person_id", "relation", "is_tenant"
            )
        ),
    }


@pytest.fixture
def empty(cast) -> Compound:
    """An empty compound in the community worker's community."""
    return CompoundFactory(community=cast.community, name="新建小区")


def grant_only(monkeypatch, user, path: str, *caps: Cap) -> None:
    """Give ``user`` exactly these capabilities at ``path`` (no other grant)."""

    def provider(u):
        if u.pk == user.pk:
            yield Grant(path, frozenset(caps), "测试授权")

    monkeypatch.setattr(access, "_providers", [provider])
    access.forget(user)


# -- creating -----------------------------------------------------------------------------


def test_import_creates_places_people_and_relations(cast, empty):
    rows = [
        owner_row(1),
        {**owner_row(2, room=owner_row(1)["房号"]), "身份": "共有人"},
        row(BUILDING="1号楼", ROOM="101", NAME="户主甲", ROLE="户主", PHONE=files.phone(50)),
        row(BUILDING="1号楼", ROOM="101", NAME="孩子", ROLE="家庭成员", RELATION="子女"),
        row(
            GRID="第一网格", BUILDING="1号楼", ROOM="B1-01", AREA="12.5", USE="车位", DEVELOPER="是"
        ),
    ]
    result = run_import(cast.community_worker, empty, rows)

    assert result.rows == 5
    assert result.counts["grids"] == {"created": 1, "updated": 0}
    assert result.counts["buildings"]["created"] == 1
    assert result.counts["entrances"]["created"] == 1
    assert result.counts["rooms"]["created"] == 2
    assert result.counts["persons"]["created"] == 4
    assert result.counts["ownerships"]["created"] == 2
    assert result.counts["households"]["created"] == 1
    assert result.counts["residencies"]["created"] == 2

    room = Room.objects.get(building__compound=empty, name="101")
    assert room.entrance.name == "1单元" and room.building.grid.name == "第一网格"
    assert room.exclusive_area == Decimal("89.57") and room.area_source == "registered"
    voters = (
        Ownership.objects.filter(room=room)
        .order_by("pk")
        .values_list("person__name", "is_designated_voter")
    )
    assert list(voters) == [("业主1", True), ("业主2", False)]
    household = Household.objects.get(room=room)
    assert household.head.name == "户主甲" and not household.is_renting
    assert set(household.residencies.values_list("person__name", "relation")) == {
        ("户主甲", "head"), ("孩子", "child"),
    }  # fmt: skip
    parking = Room.objects.get(building__compound=empty, name="B1-01")
    assert parking.use == "parking" and parking.held_by_developer and parking.entrance is None


def test_bulk_created_nodes_get_the_paths_save_would_give(cast, empty):
    run_import(cast.community_worker, empty, files.compound_rows(120))
    for model in (Grid, Building, Entrance, Room):
        nodes = model.objects.filter(path__startswith=empty.path)
        assert nodes.exists()
        for node in nodes:
            assert node.path == node.compute_path(), node
    assert not Room.objects.filter(path__isnull=True).exists()
    assert set(
        Room.objects.filter(building__compound=empty).values_list("compound", flat=True)
    ) == {empty.pk}


def test_import_from_xlsx(cast, empty):
    rows = [
        {**owner_row(1), "房号": 101, "专有面积(㎡)": 89.57, "手机号": int(files.phone(1))},
    ]
    result = run_import(cast.community_worker, empty, rows, fmt="xlsx")
    assert result.counts["rooms"]["created"] == 1
    room = Room.objects.get(building__compound=empty)
    assert (room.name, room.exclusive_area) == ("101", Decimal("89.57"))


def test_ranked_areas_store_their_source(cast, empty):
    headers = ["楼栋", "房号", "测绘面积", "合同面积"]
    data = files.csv_bytes(
        [{"楼栋": "1号楼", "房号": "101", "测绘面积": "88.8", "合同面积": "90"}], headers
    )
    services.roster_import(actor=cast.community_worker, compound=empty, upload=data)
    room = Room.objects.get(building__compound=empty)
    assert (room.exclusive_area, room.area_source) == (Decimal("88.80"), "surveyed")


# -- all or nothing -----------------------------------------------------------------------


def test_three_bad_rows_among_fifty_write_nothing_and_are_all_named(cast, empty):
    rows = [owner_row(i, building=f"{i // 10 + 1}号楼") for i in range(50)]
    rows[6]["手机号"] = "1381234"
    rows[23]["专有面积(㎡)"] = "0"
    rows[41]["身份证号"] = "350102196001010013"
    before = state(empty), AuditEvent.objects.count()

    with pytest.raises(RosterInvalid) as caught:
        run_import(cast.community_worker, empty, rows)

    assert [(e.row, e.column) for e in caught.value.errors] == [
        (8, "手机号"), (25, "专有面积(㎡)"), (43, "身份证号"),
    ]  # fmt: skip
    assert str(caught.value.errors[0]) == "第8行 手机号: 「1381234」不是11位中国大陆手机号码。"
    assert (state(empty), AuditEvent.objects.count()) == before
    assert not Room.objects.filter(building__compound=empty).exists()


def test_conflict_with_stored_person_writes_nothing(cast, empty):
    PersonFactory(name="真名", id_number=files.id_number(1))
    rows = [owner_row(i) for i in range(5)]  # row 3 gives 业主1 for that ID number
    with pytest.raises(RosterInvalid) as caught:
        run_import(cast.community_worker, empty, rows)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (3, "身份证号")
    # Registered nowhere: the stored name is not told (no oracle for names by ID number).
    assert "真名" not in error.message and "「业主1」" in error.message
    assert not Room.objects.filter(building__compound=empty).exists()


def test_conflict_names_the_stored_person_to_whom_the_importer_reaches(cast, empty):
    person = PersonFactory(name="真名", id_number=files.id_number(1))
    OwnershipFactory(room=RoomFactory(building=cast.building_a1), person=person)
    with pytest.raises(RosterInvalid) as caught:
        run_import(cast.community_worker, empty, [owner_row(i) for i in range(5)])
    (error,) = caught.value.errors
    assert "「真名」" in error.message


def test_moving_a_building_to_another_grid_is_refused(cast):
    rows = [{**owner_row(1, building="2号楼"), "网格": "甲一网格"}]  # 2号楼 has no grid
    with pytest.raises(RosterInvalid) as caught:
        run_import(cast.community_worker, cast.a, rows)
    assert [e.column for e in caught.value.errors] == ["网格"]
    assert "不能调整楼栋所属网格" in caught.value.errors[0].message


def test_moving_a_room_to_another_entrance_is_refused(cast):
    rows = [row(GRID="甲一网格", BUILDING="1号楼", ENTRANCE="1单元", ROOM="101", AREA="89.57")]
    with pytest.raises(RosterInvalid) as caught:
        run_import(cast.community_worker, cast.a, rows)
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "单元")]
    assert "不能调整房屋所属单元" in caught.value.errors[0].message
    assert not Entrance.objects.filter(building=cast.building_a1).exists()


# -- upsert and idempotency ---------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(cast, empty):
    rows = files.compound_rows(60) + [
        # people with neither phone nor ID number are recognised within their room
        row(BUILDING="9号楼", ROOM="901", AREA="70", NAME="王奶奶", ROLE="户主", VULNERABLE="是"),
        row(BUILDING="9号楼", ROOM="901", NAME="王小明", ROLE="家庭成员", RELATION="子女"),
        row(BUILDING="9号楼", ROOM="902", AREA="70", NAME="王小明", ROLE="业主"),
    ]
    first = run_import(cast.community_worker, empty, rows)
    assert first.changed
    before = state(empty)

    again = run_import(cast.community_worker, empty, rows)

    assert not again.changed, again.counts
    assert state(empty) == before
    assert again.sha256 == first.sha256


def test_existing_rooms_are_matched_by_name_and_updated(cast):
    rows = [
        row(
            GRID="甲一网格",
            BUILDING="1号楼",
            ROOM="101",
            AREA="120.5",
            AREA_SOURCE="测绘",
            FLOOR="1",
        )
    ]
    result = run_import(cast.community_worker, cast.a, rows)
    assert result.counts["rooms"] == {"created": 0, "updated": 1}
    assert result.counts["buildings"] == {"created": 0, "updated": 0}
    cast.room_a.refresh_from_db()
    assert (cast.room_a.exclusive_area, cast.room_a.area_source, cast.room_a.floor) == (
        Decimal("120.50"), "surveyed", 1,
    )  # fmt: skip


def test_existing_person_is_matched_by_name_and_phone_and_gains_the_id_number(cast):
    person = cast.owner.person
    rows = [
        row(BUILDING="1号楼", ROOM="101", AREA="89.57", NAME=person.name, PHONE=person.phone,
            ID_NUMBER=files.id_number(9), ROLE="业主"),
    ]  # fmt: skip
    result = run_import(cast.community_worker, cast.a, rows)
    assert result.counts["persons"] == {"created": 0, "updated": 1}
    assert result.counts["ownerships"] == {"created": 0, "updated": 0}
    person.refresh_from_db()
    assert person.id_number == files.id_number(9)


def test_existing_person_is_matched_by_id_number_across_compounds(cast, empty):
    person = PersonFactory(name="王五", id_number=files.id_number(5), phone=files.phone(5))
    OwnershipFactory(room=cast.room_b, person=person)  # B: the same community
    rows = [{**owner_row(5), "姓名": "王五", "手机号": files.phone(6)}]
    result = run_import(cast.community_worker, empty, rows)
    assert result.counts["persons"] == {"created": 0, "updated": 1}
    person.refresh_from_db()
    assert person.phone == files.phone(6)
    assert person.ownerships.count() == 2
    # The import changed a person of B: B's auditors see the event too.
    event = AuditEvent.objects.get(action="roster.import")
    assert event.place_path == empty.path
    assert list(event.places.values_list("path", flat=True)) == [cast.room_b.path]


@pytest.mark.parametrize("who", ["secretary_of_empty", "community_worker"])
def test_a_person_registered_outside_the_importers_scope_is_not_linked(
    cast, empty, who, monkeypatch
):
    """The hole: an import into one compound, with the ID number of a person of another,
    told that person's real name on a mismatch, and on a match rewrote their phone and
    made them an owner here, audited only here."""
    person = PersonFactory(name="王五", id_number=files.id_number(5), phone=files.phone(5))
    OwnershipFactory(room=cast.room_z, person=person)  # Z: another community
    if who == "secretary_of_empty":
        actor = AccountFactory()
        grant_only(monkeypatch, actor, empty.path, Cap.EDIT_ROSTER, Cap.VIEW_ROSTER)
    else:
        actor = cast.community_worker
    for name in ("王五", "别人"):
        rows = [{**owner_row(5), "姓名": name, "手机号": files.phone(6)}]
        with pytest.raises(RosterInvalid) as caught:
            run_import(actor, empty, rows)
        (error,) = caught.value.errors
        assert error.column == "身份证号"
        assert "王五" not in error.message
        assert "管辖范围以外" in error.message
    person.refresh_from_db()
    assert person.phone == files.phone(5)
    assert person.ownerships.count() == 1
    assert not AuditEvent.objects.filter(action="roster.import").exists()


def test_a_name_and_phone_of_someone_elsewhere_makes_a_new_person(cast, empty):
    person = PersonFactory(name="王五", phone=files.phone(5))
    OwnershipFactory(room=cast.room_z, person=person)
    rows = [{**owner_row(5), "姓名": "王五", "手机号": files.phone(5), "身份证号": ""}]
    result = run_import(cast.community_worker, empty, rows)
    assert result.counts["persons"] == {"created": 1, "updated": 0}
    assert person.ownerships.count() == 1


def test_a_superuser_links_across_communities(cast, empty):
    person = PersonFactory(name="王五", id_number=files.id_number(5), phone=files.phone(5))
    OwnershipFactory(room=cast.room_z, person=person)
    admin = AccountFactory(is_superuser=True)
    rows = [{**owner_row(5), "姓名": "王五", "手机号": files.phone(6)}]
    run_import(admin, empty, rows)
    assert person.ownerships.count() == 2
    event = AuditEvent.objects.get(action="roster.import")
    assert list(event.places.values_list("path", flat=True)) == [cast.room_z.path]


def test_stored_designated_voter_stays_unless_the_file_names_another(cast):
    room = cast.room_a  # cast.owner is its designated voter
    newcomer = row(
        BUILDING="1号楼",
        ROOM="101",
        AREA="89.57",
        NAME="新业主",
        PHONE=files.phone(1),
        ROLE="共有人",
    )
    run_import(cast.community_worker, cast.a, [newcomer])
    voter = Ownership.objects.get(room=room, is_designated_voter=True)
    assert voter.person == cast.owner.person

    result = run_import(cast.community_worker, cast.a, [{**newcomer, "指定表决人": "是"}])
    voter = Ownership.objects.get(room=room, is_designated_voter=True)
    assert voter.person.name == "新业主"
    assert result.counts["ownerships"] == {"created": 0, "updated": 2}


# -- permissions --------------------------------------------------------------------------


def test_community_worker_can_import(cast):
    result = run_import(cast.community_worker, cast.b, [owner_row(1, building="9号楼")])
    assert result.counts["rooms"]["created"] == 1


@pytest.mark.parametrize("role", ["clerk_b", "clerk", "grid_worker", "owners_chair", "outsider"])
def test_those_without_edit_roster_are_refused(cast, role):
    with pytest.raises(PermissionDenied):
        run_import(getattr(cast, role), cast.a, [owner_row(1, building="9号楼")])
    assert not Building.objects.filter(name="9号楼").exists()


def test_clerk_of_other_compound_is_refused(cast):
    with pytest.raises(PermissionDenied):
        run_import(cast.clerk_b, cast.a, [owner_row(1, building="9号楼")])


def test_community_worker_cannot_import_into_another_community(cast):
    with pytest.raises(PermissionDenied):
        run_import(cast.community_worker, cast.z, [owner_row(1, building="9号楼")])


# -- audit --------------------------------------------------------------------------------


def test_one_audit_event_per_import(cast, empty):
    data = files.csv_bytes(files.compound_rows(10))
    result = services.roster_import(
        actor=cast.community_worker, compound=empty, upload=data, filename="花名册.csv"
    )
    (event,) = AuditEvent.objects.filter(action="roster.import")
    assert event.actor == cast.community_worker
    assert event.place_path == empty.path
    assert (event.object_type, event.object_id) == ("places.compound", str(empty.pk))
    assert event.after["sha256"] == result.sha256
    import hashlib

    assert event.after["sha256"] == hashlib.sha256(data).hexdigest()
    assert event.after["counts"] == result.counts
    assert event.after["rows"] == result.rows
    assert (
        not AuditEvent.objects.exclude(action="roster.import")
        .filter(place_path__startswith=empty.path)
        .exists()
    )  # one event, not one per row


def test_export_is_audited(cast):
    services.roster_export(actor=cast.community_worker, compound=cast.a, fmt="xlsx")
    (event,) = AuditEvent.objects.filter(action="roster.export")
    assert event.place_path == cast.a.path and event.actor == cast.community_worker
    assert event.after["format"] == "xlsx" and event.after["masked"] is False
    assert event.after["shown"] == {"phone": True, "id_number": True, "care": True}


def test_export_records_whose_full_id_numbers_it_holds(cast):
    Person.objects.filter(pk=cast.owner.person.pk).update(id_number=files.id_number(3))
    services.roster_export(actor=cast.community_worker, compound=cast.a, fmt="csv")
    (export,) = AuditEvent.objects.filter(action="roster.export")
    (shown,) = AuditEvent.objects.filter(action="person.id_numbers_shown")
    assert shown.after["persons"] == [cast.owner.person.pk]  # the one with an ID number
    assert shown.after["where"] == "roster.export"
    assert shown.place_path == export.place_path == cast.a.path


def test_export_without_id_numbers_shown_records_no_disclosure(cast, monkeypatch):
    Person.objects.filter(pk=cast.owner.person.pk).update(id_number=files.id_number(3))
    grant_only(monkeypatch, cast.nobody, cast.a.path, Cap.VIEW_PLACE, Cap.EDIT_ROSTER)
    services.roster_export(actor=cast.nobody, compound=cast.a, fmt="csv")
    assert not AuditEvent.objects.filter(action="person.id_numbers_shown").exists()


# -- export -------------------------------------------------------------------------------


def test_export_lists_rooms_owners_and_residents(cast):
    out = services.roster_export(actor=cast.community_worker, compound=cast.a, fmt="csv")
    lines = files.read_back(out.content, "csv")
    assert lines[0] == list(rules.COLUMNS)
    by_name = {line[9]: line for line in lines[1:]}
    owner = by_name[cast.owner.person.name]
    assert owner[:4] == ["甲一网格", "1号楼", "", "101"]
    assert (owner[12], owner[13], owner[15]) == (cast.owner.person.phone, "业主", "是")
    resident = by_name[cast.resident.person.name]
    assert (resident[13], resident[14]) == ("户主", "户主")
    assert out.filename.endswith(".csv") and "甲小区" in out.filename


def test_export_refused_outside_scope(cast):
    with pytest.raises(PermissionDenied):
        services.roster_export(actor=cast.clerk_b, compound=cast.a, fmt="csv")


def test_export_masks_contacts_for_those_who_may_not_see_them(cast, monkeypatch):
    Person.objects.filter(pk=cast.owner.person.pk).update(id_number=files.id_number(3))
    user = cast.nobody
    grant_only(monkeypatch, user, cast.a.path, Cap.VIEW_PLACE, Cap.EDIT_ROSTER)

    out = services.roster_export(actor=user, compound=cast.a, fmt="csv")

    owner = next(line for line in files.read_back(out.content, "csv") if line[13] == "业主")
    assert owner[12] == cast.owner.person.phone[:3] + "****" + cast.owner.person.phone[-4:]
    assert "*" in owner[11] and owner[11] != files.id_number(3)
    assert "打码" in out.filename
    assert AuditEvent.objects.get(action="roster.export").after["masked"] is True


def test_export_masks_each_kind_by_its_own_capability(cast, monkeypatch):
    Person.objects.filter(pk=cast.owner.person.pk).update(
        id_number=files.id_number(3), is_vulnerable=True
    )
    user = cast.nobody
    grant_only(
        monkeypatch, user, cast.a.path, Cap.VIEW_PLACE, Cap.EDIT_ROSTER, Cap.VIEW_PHONE,
        Cap.VIEW_ID_NUMBER,
    )  # fmt: skip
    out = services.roster_export(actor=user, compound=cast.a, fmt="csv")
    owner = next(line for line in files.read_back(out.content, "csv") if line[13] == "业主")
    assert (owner[11], owner[12]) == (files.id_number(3), cast.owner.person.phone)
    assert owner[16] == ""  # the care column (困难群体) left blank, not "否"

    grant_only(monkeypatch, user, cast.a.path, Cap.VIEW_PLACE, Cap.EDIT_ROSTER, Cap.VIEW_CARE)
    out = services.roster_export(actor=user, compound=cast.a, fmt="csv")
    owner = next(line for line in files.read_back(out.content, "csv") if line[13] == "业主")
    assert owner[16] == "是" and "*" in owner[11] and "*" in owner[12]


def test_masked_export_cannot_be_reimported(cast, empty, monkeypatch):
    user = cast.nobody
    grant_only(monkeypatch, user, cast.community.path, Cap.VIEW_PLACE, Cap.EDIT_ROSTER)
    out = services.roster_export(actor=user, compound=cast.a, fmt="xlsx")

    with pytest.raises(RosterInvalid) as caught:
        services.roster_import(actor=user, compound=empty, upload=out.content, filename="x.xlsx")

    assert caught.value.errors
    assert all(e.column == "手机号" and "打码" in e.message for e in caught.value.errors)
    assert not Room.objects.filter(building__compound=empty).exists()


@pytest.mark.parametrize("fmt", rules.FORMATS)
def test_round_trip_export_import_reproduces_the_roster(cast, empty, fmt):
    run_import(cast.community_worker, cast.a, files.compound_rows(40, building_prefix="东"))
    exported = services.roster_export(actor=cast.community_worker, compound=cast.a, fmt=fmt)

    services.roster_import(
        actor=cast.community_worker, compound=empty, upload=exported.content, filename=f"x.{fmt}"
    )

    again = services.roster_export(actor=cast.community_worker, compound=empty, fmt=fmt)
    assert files.read_back(again.content, fmt) == files.read_back(exported.content, fmt)
    source, copy = state(cast.a), state(empty)
    assert len(copy["rooms"]) == len(source["rooms"])
    strip = lambda rows: {r[2:] for r in rows}  # noqa: E731  (name and path differ)
    assert {r[0:1] + r[2:] for r in copy["rooms"]} == {r[0:1] + r[2:] for r in source["rooms"]}
    assert strip(copy["residencies"]) == strip(source["residencies"])


# -- efficiency ---------------------------------------------------------------------------


def test_thousand_rows_take_a_bounded_number_of_queries(cast, empty, django_assert_max_num_queries):
    rows = files.compound_rows(470)
    assert 950 <= len(rows) <= 1100
    data = files.csv_bytes(rows)
    with django_assert_max_num_queries(90):
        result = services.roster_import(actor=cast.community_worker, compound=empty, upload=data)
    assert result.counts["rooms"]["created"] == 470
    with django_assert_max_num_queries(20):
        again = services.roster_import(actor=cast.community_worker, compound=empty, upload=data)
    assert not again.changed
