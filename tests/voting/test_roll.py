"""The voter roll: drawn from rooms and current ownerships, then frozen (法释〔2009〕7号)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.voting import rules, selectors, services
from gongzhi.voting.models import RollEntry
from gongzhi.voting.services.roll import roll_as_rules, units_of
from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    OwnershipFactory,
    PersonFactory,
    RoomFactory,
)
from tests.voting.helpers import add_owner

QUESTION = (("使用维修资金", "use_maintenance_fund"),)


def _draft(staff, compound, **policy):
    if policy:
        services.policy_update(actor=staff, compound=compound, **policy)
    now = timezone.now()
    assembly = services.assembly_create(
        actor=staff,
        compound=compound,
        title="测试会议",
        opens_at=now + dt.timedelta(days=8),
        closes_at=now + dt.timedelta(days=15),
    )
    services.question_add(
        actor=staff, assembly=assembly, title="议题", matter="use_maintenance_fund"
    )
    return assembly


def _publish(staff, compound, **policy):
    assembly = _draft(staff, compound, **policy)
    services.assembly_publish_roll(actor=staff, assembly=assembly, objection_days=7)
    return assembly


def _entry(assembly, person) -> RollEntry:
    return RollEntry.objects.get(assembly=assembly, person=person)


def test_owner_of_several_rooms_is_one_head_with_summed_area(cast, staff):
    building = BuildingFactory(compound=cast.a)
    for area in ("76.43", "120.00"):
        OwnershipFactory(
            room=RoomFactory(building=building, exclusive_area=Decimal(area)),
            person=cast.owner.person,
        )
    assembly = _publish(staff[0], cast.a)
    entry = _entry(assembly, cast.owner.person)
    assert entry.heads == 1
    assert entry.area == Decimal("89.57") + Decimal("76.43") + Decimal("120.00")
    assert len(entry.room_ids) == 3


def test_developer_rooms_are_one_head_together(cast, staff):
    building = BuildingFactory(compound=cast.a)
    for _ in range(4):
        RoomFactory(building=building, held_by_developer=True, exclusive_area=Decimal("100.00"))
    assembly = _publish(staff[0], cast.a)
    developer = RollEntry.objects.get(assembly=assembly, voter_key="developer")
    assert developer.is_developer and developer.person is None
    assert (developer.heads, developer.area) == (1, Decimal("400.00"))
    assert selectors.roll_totals(assembly) == rules.Totals(Decimal("489.57"), 2)


def test_co_owners_count_once_through_the_designated_voter(cast, staff):
    room = RoomFactory(building=cast.building_a2, exclusive_area=Decimal("90.00"))
    designated, other = PersonFactory(), PersonFactory()
    OwnershipFactory(room=room, person=designated, share=Decimal("0.5"), is_designated_voter=True)
    OwnershipFactory(room=room, person=other, share=Decimal("0.5"), is_designated_voter=False)
    assembly = _publish(staff[0], cast.a)
    assert _entry(assembly, designated).area == Decimal("90.00")
    assert not RollEntry.objects.filter(assembly=assembly, person=other).exists()
    assert selectors.roll_totals(assembly).heads == 2


def test_parking_does_not_count_by_default(cast, staff):
    add_owner(cast.a, "12.50", use="parking")  # owns parking only
    OwnershipFactory(
        room=RoomFactory(building=cast.building_a1, use="parking", exclusive_area=Decimal("12.50")),
        person=cast.owner.person,
    )
    assembly = _publish(staff[0], cast.a)
    assert selectors.roll_totals(assembly) == rules.Totals(Decimal("89.57"), 1)
    assert not assembly.count_parking_area


def test_parking_counts_when_the_compound_policy_says_so(cast, staff):
    parking_only = add_owner(cast.a, "12.50", use="parking")
    OwnershipFactory(
        room=RoomFactory(building=cast.building_a1, use="parking", exclusive_area=Decimal("12.50")),
        person=cast.owner.person,
    )
    assembly = _publish(staff[0], cast.a, count_parking_area=True)
    assert _entry(assembly, cast.owner.person).area == Decimal("102.07")
    assert _entry(assembly, parking_only.person).area == Decimal("12.50")
    assert selectors.roll_totals(assembly) == rules.Totals(Decimal("114.57"), 2)


def test_room_without_designated_voter_stays_in_totals_flagged_for_correction(cast, staff):
    room = RoomFactory(building=cast.building_a2, exclusive_area=Decimal("60.00"))
    assembly = _publish(staff[0], cast.a)
    orphan = RollEntry.objects.get(assembly=assembly, voter_key=f"r{room.pk}")
    assert orphan.person is None and orphan.heads == 1 and "核实" in orphan.note
    assert selectors.roll_totals(assembly) == rules.Totals(Decimal("149.57"), 2)


def test_roll_is_frozen_once_drawn(cast, staff):
    assembly = _publish(staff[0], cast.a)
    add_owner(cast.a, "100.00")
    cast.owner.person.ownerships.update(until=dt.date(2020, 1, 1))
    assert selectors.roll_totals(assembly) == rules.Totals(Decimal("89.57"), 1)
    assert _entry(assembly, cast.owner.person)


def test_roll_is_drawn_in_a_few_queries(cast, staff, django_assert_max_num_queries):
    building = BuildingFactory(compound=cast.a)
    for i in range(40):
        add_owner(cast.a, f"{60 + i}.00", building=building)
    assembly = _draft(staff[0], cast.a)
    from gongzhi.voting.services.roll import draw_roll

    assembly.count_parking_area = False
    with django_assert_max_num_queries(6):
        assert draw_roll(assembly) == 41


def test_policy_is_frozen_on_the_assembly_when_the_roll_is_drawn(cast, staff):
    assembly = _publish(staff[0], cast.a, proxy_limit=2, allow_vote_change=True)
    services.policy_update(actor=staff[0], compound=cast.a, proxy_limit=5, allow_vote_change=False)
    assembly.refresh_from_db()
    assert (assembly.proxy_limit, assembly.allow_vote_change) == (2, True)


def test_correction_merges_rooms_into_one_head_and_is_audited(cast, staff):
    room = RoomFactory(building=cast.building_a2, exclusive_area=Decimal("60.00"))
    assembly = _publish(staff[0], cast.a)
    orphan = RollEntry.objects.get(assembly=assembly, voter_key=f"r{room.pk}")
    merged = services.roll_entry_correct(
        actor=staff[1],
        entry=orphan,
        person=cast.owner.person,
        reason="业主提交不动产权证，该房屋属本人",
    )
    assert merged.person == cast.owner.person
    assert (merged.area, merged.heads) == (Decimal("149.57"), 1)
    assert RollEntry.objects.filter(assembly=assembly).count() == 1
    event = AuditEvent.objects.get(action="assembly.roll.correct")
    assert event.before["merged"]["voter_key"] == f"r{room.pk}"
    assert event.after["area"] == "149.57"


def test_area_correction_needs_a_reason_and_changes_nothing_without_one(cast, staff):
    assembly = _publish(staff[0], cast.a)
    entry = _entry(assembly, cast.owner.person)
    with pytest.raises(ValidationError, match="更正原因"):
        services.roll_entry_correct(actor=staff[0], entry=entry, area="90.00", reason=" ")
    entry.refresh_from_db()
    assert entry.area == Decimal("89.57")
    services.roll_entry_correct(
        actor=staff[0], entry=entry, area="90.12", reason="按不动产登记面积更正"
    )
    entry.refresh_from_db()
    assert entry.area == Decimal("90.12") and entry.corrected_at


def test_correction_only_while_published_for_objections(cast, staff, open_a):
    entry = _entry(open_a, cast.owner.person)
    with pytest.raises(ValidationError, match="名册公示期间"):
        services.roll_entry_correct(actor=staff[0], entry=entry, area="90.00", reason="异议")


def _random_compound(rng: random.Random):
    compound = CompoundFactory()
    buildings = [BuildingFactory(compound=compound) for _ in range(2)]
    people = [PersonFactory() for _ in range(rng.randint(1, 8))]
    for _ in range(rng.randint(1, 14)):
        room = RoomFactory(
            building=rng.choice(buildings),
            exclusive_area=Decimal(rng.randint(1, 20000)) / 100,
            use=rng.choice(["residential", "residential", "commercial", "parking"]),
            held_by_developer=rng.random() < 0.15,
        )
        roll = rng.random()
        if roll < 0.1:
            continue  # nobody registered
        owners = rng.sample(people, k=min(len(people), rng.choice([1, 1, 2])))
        for i, person in enumerate(owners):
            OwnershipFactory(room=room, person=person, is_designated_voter=(i == 0 and roll > 0.15))
    return compound


@pytest.mark.parametrize("seed", range(8))
def test_roll_in_the_database_equals_rules_build_roll(cast, staff, seed):
    rng = random.Random(seed)
    compound = _random_compound(rng)
    parking = rng.random() < 0.5
    assembly = _draft(None, compound, count_parking_area=parking)
    try:
        services.assembly_publish_roll(actor=None, assembly=assembly, objection_days=7)
    except ValidationError:  # nothing countable at all
        assert rules.build_roll(units_of(assembly), rules.Policy(parking)) == {}
        return
    expected = rules.build_roll(units_of(assembly), rules.Policy(count_parking_area=parking))
    assert roll_as_rules(assembly) == expected
