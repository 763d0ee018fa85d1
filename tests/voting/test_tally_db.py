"""The tally in the database equals rules.tally_decision / tally_election on the same data.

Property check over random rolls and ballots (seeded, so failures reproduce): the sums are
done by aggregate queries; the same roll and ballots go through the pure rules too.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from gongzhi.voting import rules, selectors
from gongzhi.voting.models import (
    BallotStatus,
    Candidate,
    CandidateStatus,
    Election,
    Question,
    RollEntry,
)
from gongzhi.voting.services.ballots import _store
from gongzhi.voting.services.roll import roll_as_rules
from tests.factories import (
    BuildingFactory,
    CompoundFactory,
    OwnershipFactory,
    PersonFactory,
    RoomFactory,
)
from tests.voting.helpers import open_assembly

MATTERS = ["use_maintenance_fund", "raise_maintenance_fund", "management_rules", "rebuild"]


def _compound(rng: random.Random):
    compound = CompoundFactory()
    building = BuildingFactory(compound=compound)
    people = [PersonFactory() for _ in range(rng.randint(2, 12))]
    for _ in range(rng.randint(3, 25)):
        room = RoomFactory(
            building=building,
            exclusive_area=Decimal(rng.randint(1, 30000)) / 100,
            held_by_developer=rng.random() < 0.1,
        )
        OwnershipFactory(room=room, person=rng.choice(people))
    return compound


@pytest.mark.parametrize("seed", range(12))
def test_database_decision_tally_equals_rules(db, seed):
    rng = random.Random(seed)
    compound = _compound(rng)
    matter = rng.choice(MATTERS)
    assembly = open_assembly(None, compound, (("议题", matter),))
    question = assembly.questions.get()
    entries = list(RollEntry.objects.filter(assembly=assembly))
    ballots = {}
    for entry in entries:
        if rng.random() < 0.8:
            choice = rng.choice(["agree", "agree", "oppose", "abstain", "spoilt"])
            _store(
                question,
                entry,
                choice,
                [],
                channel="online",
                status=BallotStatus.VALID,
                cast_by=None,
                at=assembly.opens_at,
            )
            ballots[entry.voter_key] = choice
    expected = rules.tally_decision(roll_as_rules(assembly), ballots, matter)
    assert selectors.tally(assembly)[question.pk] == expected


@pytest.mark.parametrize("seed", range(6))
def test_database_election_tally_equals_rules(db, seed):
    rng = random.Random(100 + seed)
    compound = _compound(rng)
    election = Election.objects.create(
        compound=compound, committee_kind="owners_committee", title="选举", seats=5, term_years=5
    )
    candidates = [
        Candidate.objects.create(
            election=election,
            person=PersonFactory(),
            nomination="self",
            number=i + 1,
            status=CandidateStatus.ELIGIBLE,
        )  # fmt: skip
        for i in range(rng.randint(5, 8))
    ]

    def add_election(assembly):
        question = Question.objects.create(
            assembly=assembly, position=1, title="选举", matter="elect_committee", seats=5,
            election=election,
        )  # fmt: skip
        question.candidates.set(candidates)

    assembly = open_assembly(None, compound, (), before=add_election)
    question = assembly.questions.get()
    ballots = {}
    for entry in RollEntry.objects.filter(assembly=assembly):
        if rng.random() < 0.85:
            chosen = rng.sample(candidates, k=rng.randint(0, 5))
            _store(
                question,
                entry,
                "",
                chosen,
                channel="online",
                status=BallotStatus.VALID,
                cast_by=None,
                at=assembly.opens_at,
            )
            ballots[entry.voter_key] = [str(c.pk) for c in chosen]
    expected = rules.tally_election(
        roll_as_rules(assembly), ballots, [str(c.pk) for c in candidates], 5
    )
    assert selectors.tally(assembly)[question.pk] == expected


def test_tally_of_decisions_is_three_queries_whatever_the_number_of_ballots(
    cast, staff, django_assert_num_queries
):
    assembly = open_assembly(staff[0], cast.a, (("一", "use_maintenance_fund"), ("二", "rebuild")))
    with django_assert_num_queries(3):
        selectors.tally(assembly)


def test_unconfirmed_paper_ballots_are_not_summed(cast, staff, open_a):
    question = open_a.questions.get()
    entry = RollEntry.objects.get(assembly=open_a)
    from gongzhi.voting.models import PaperSheet

    sheet = PaperSheet.objects.create(
        assembly=open_a, roll_entry=entry, scan="x.pdf", entered_by=staff[0]
    )
    _store(
        question,
        entry,
        "agree",
        [],
        channel="paper",
        status=BallotStatus.PENDING,
        cast_by=staff[0],
        at=open_a.opens_at,
        sheet=sheet,
    )
    assert selectors.tally(open_a)[question.pk].participating == rules.ZERO


def test_exact_boundaries_survive_the_database(cast, staff):
    """Three owners of 100.00 m²: two agreeing is 2/3 of heads and area exactly, and the
    quorum is met with exactly 2/3 taking part (以上 includes the boundary)."""
    compound = CompoundFactory()
    building = BuildingFactory(compound=compound)
    for _ in range(3):
        OwnershipFactory(
            room=RoomFactory(building=building, exclusive_area=Decimal("100.00")),
            person=PersonFactory(),
        )
    assembly = open_assembly(
        None, compound, (("使用", "use_maintenance_fund"), ("筹集", "raise_maintenance_fund"))
    )
    q1, q2 = assembly.questions.order_by("position")
    e1, e2, _ = RollEntry.objects.filter(assembly=assembly)
    for q in (q1, q2):
        _store(
            q, e1, "agree", [], channel="online", status="valid", cast_by=None, at=assembly.opens_at
        )
        _store(
            q,
            e2,
            "oppose",
            [],
            channel="online",
            status="valid",
            cast_by=None,
            at=assembly.opens_at,
        )
    results = selectors.tally(assembly)
    assert results[q1.pk].quorum_met  # exactly 2/3 participate
    assert not results[q1.pk].passed  # exactly half agree: 过半数 is strict
    assert not results[q2.pk].passed
