"""The voting demo builds story 002 on whatever compound the demo loader made."""

from __future__ import annotations

from decimal import Decimal

from gongzhi.voting import rules, selectors
from gongzhi.voting.demo import load_voting_demo
from gongzhi.voting.models import Assembly, Candidate, CandidateStatus
from tests.factories import BuildingFactory, RoomFactory
from tests.voting.helpers import add_owner


def _pacific_garden(cast):
    compound = cast.a
    buildings = [BuildingFactory(compound=compound, name=f"{n}号楼") for n in range(3, 6)]
    for i in range(45):
        add_owner(compound, f"{70 + (i * 7) % 60}.{i % 100:02d}", building=buildings[i % 3])
    for _ in range(3):
        RoomFactory(building=buildings[0], held_by_developer=True, exclusive_area=Decimal("95.00"))
    return compound


def test_demo_builds_closed_result_and_open_assembly(cast):
    compound = _pacific_garden(cast)
    built = load_voting_demo(compound)
    closed, opened = built["closed"], built["open"]
    assert closed.state == rules.AssemblyState.RESULT_PUBLISHED
    assert closed.result_notice is not None and closed.result_notice.attachment
    assert selectors.check_ledger(closed).matches
    results = {q.matter: q for q in closed.questions.all() if not q.is_election}
    assert results[rules.Matter.USE_MAINTENANCE_FUND].passed is True
    assert results[rules.Matter.RAISE_MAINTENANCE_FUND].passed is False
    assert results[rules.Matter.RAISE_MAINTENANCE_FUND].result["quorum_met"] is True
    elected = Candidate.objects.filter(status=CandidateStatus.ELECTED)
    assert elected.count() == 7
    assert elected.filter(is_party_member=True).count() == 5
    from gongzhi.voting.models import Election

    assert Election.objects.get().filed_with == cast.street_office
    assert opened.state == rules.AssemblyState.OPEN
    assert opened.questions.first().ballots.exists()


def test_demo_runs_once(cast):
    compound = _pacific_garden(cast)
    load_voting_demo(compound)
    load_voting_demo(compound)
    assert Assembly.objects.filter(compound=compound).count() == 2
