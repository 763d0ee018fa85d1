"""Committee elections: nomination → eligibility → slate → multi-seat ballot → count → filing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from gongzhi.bodies.models import BodyKind
from gongzhi.core import access
from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.voting import permissions, rules, services
from gongzhi.voting.models import Assembly, Candidate, CandidateStatus, Election
from tests.factories import (
    BodyFactory,
    BuildingFactory,
    OwnershipFactory,
    PartyMemberFactory,
    PersonFactory,
    RoomFactory,
)
from tests.voting.helpers import add_owner, after_close, open_assembly

E = rules.ElectionState
DAY = dt.timedelta(days=1)


@pytest.fixture
def owners(cast):
    """Ten owners of 100.00 m² each in compound B (managed by the community worker)."""
    building = BuildingFactory(compound=cast.b)
    return [add_owner(cast.b, "100.00", building=building) for _ in range(10)]


def _election(actor, compound, seats=5, kind="owners_committee"):
    return services.election_create(
        actor=actor,
        compound=compound,
        title="第二届业主委员会换届选举",
        committee_kind=kind,
        seats=seats,
        term_years=5,
    )


def _slate(worker, election, people, *, now=None):
    now = now or timezone.now() - 20 * DAY
    for person in people:
        services.candidate_nominate(
            actor=worker, election=election, person=person, kind="self", now=now
        )
    for candidate in election.candidates.all():
        services.candidate_check(actor=worker, candidate=candidate, eligible=True, now=now)
    services.election_publish_slate(actor=worker, election=election, objection_days=7, now=now)
    return list(election.candidates.order_by("number"))


def _ballot(worker, election, compound):
    def add(assembly):
        services.election_start_ballot(actor=worker, election=election, assembly=assembly)

    return open_assembly(worker, compound, (), before=add)


def test_committee_size_is_odd_from_5_to_11_and_term_at_most_5_years(cast):
    worker = cast.community_worker
    for seats in (3, 4, 6, 12, 13):
        with pytest.raises(ValidationError, match="5 至 11 人的单数"):
            _election(worker, cast.b, seats=seats)
    with pytest.raises(ValidationError, match="任期应为 1 至 5 年"):
        services.election_create(
            actor=worker,
            compound=cast.b,
            title="x",
            committee_kind="owners_committee",
            seats=7,
            term_years=6,
        )
    assert not Election.objects.exists()
    assert _election(worker, cast.b, seats=11).seats == 11


def test_only_vote_managers_organise_elections(cast):
    for name in ("owner", "clerk", "secretary"):
        with pytest.raises(PermissionDenied):
            _election(getattr(cast, name), cast.a)


def test_owner_nominates_themself_but_not_others(cast):
    election = _election(cast.community_worker, cast.a)
    candidate = services.candidate_nominate(
        actor=cast.owner, election=election, person=cast.owner.person, kind="self"
    )
    assert candidate.nomination == "self" and candidate.status == CandidateStatus.NOMINATED
    with pytest.raises(PermissionDenied):
        services.candidate_nominate(
            actor=cast.owner, election=election, person=cast.resident.person, kind="self"
        )


@pytest.mark.parametrize("kind", ["self", "joint"])
def test_one_of_elsewhere_nominating_through_the_service_gets_404(cast, owners, kind):
    """Not only the pages (get_election_for): the service itself, so an endpoint wired
    straight to it opens no way in. The outsider (of Z) names themself, or submits a
    joint nomination they sign with five owners of B."""
    election = _election(cast.community_worker, cast.b)
    outsider = cast.outsider.person
    nominators = [o.person for o in owners[1:6]] + [outsider] if kind == "joint" else []
    with pytest.raises(Http404):
        services.candidate_nominate(
            actor=cast.outsider, election=election, person=outsider if kind == "self"
            else owners[0].person, kind=kind, nominators=nominators,
        )  # fmt: skip
    assert not Candidate.objects.exists()
    assert not permissions.can_nominate_self(cast.outsider, election, outsider.pk)
    assert not permissions.can_nominate_jointly(cast.outsider, election, {p.pk for p in nominators})


def test_joint_nomination_records_the_nominators_and_needs_the_minimum(cast, owners):
    election = _election(cast.community_worker, cast.b)
    candidate_person = owners[0].person
    nominators = [o.person for o in owners[1:6]]
    with pytest.raises(ValidationError, match="至少 5 人"):
        services.candidate_nominate(
            actor=owners[1],
            election=election,
            person=candidate_person,
            kind="joint",
            nominators=nominators[:4],
        )
    candidate = services.candidate_nominate(
        actor=owners[1],
        election=election,
        person=candidate_person,
        kind="joint",
        nominators=nominators,
    )
    assert set(candidate.nominators.all()) == set(nominators)
    assert candidate.nomination_label == "业主联名推荐"


def test_joint_nominators_must_be_owners_of_the_compound(cast, owners):
    election = _election(cast.community_worker, cast.b)
    nominators = [o.person for o in owners[1:5]] + [cast.resident.person]
    with pytest.raises(ValidationError, match="推荐人须为本小区业主"):
        services.candidate_nominate(
            actor=cast.community_worker,
            election=election,
            person=owners[0].person,
            kind="joint",
            nominators=nominators,
        )
    assert not Candidate.objects.exists()


def test_party_branch_recommends_through_its_secretary(cast):
    election = _election(cast.community_worker, cast.a)
    with pytest.raises(PermissionDenied, match="党支部书记"):
        services.candidate_nominate(
            actor=cast.owner, election=election, person=cast.owner.person, kind="party_branch"
        )
    candidate = services.candidate_nominate(
        actor=cast.secretary, election=election, person=cast.owner.person, kind="party_branch"
    )
    assert candidate.recommended_by == cast.branch_a


def test_eligibility_needs_an_owner_and_a_disqualification_needs_a_reason(cast):
    election = _election(cast.community_worker, cast.a)
    worker = cast.community_worker
    tenant = services.candidate_nominate(
        actor=worker, election=election, person=cast.resident.person, kind="self"
    )
    owner = services.candidate_nominate(
        actor=worker, election=election, person=cast.owner.person, kind="self"
    )
    with pytest.raises(ValidationError, match="不是本小区业主"):
        services.candidate_check(actor=worker, candidate=tenant, eligible=True)
    with pytest.raises(ValidationError, match="不合格的原因"):
        services.candidate_check(actor=worker, candidate=tenant, eligible=False)
    services.candidate_check(
        actor=worker, candidate=tenant, eligible=False, reason="非本小区业主（租户）"
    )
    PartyMemberFactory(person=cast.owner.person)
    services.candidate_check(actor=worker, candidate=owner, eligible=True)
    owner.refresh_from_db()
    assert owner.status == CandidateStatus.ELIGIBLE and owner.is_party_member


def test_slate_needs_every_nominee_checked_and_enough_candidates(cast, owners):
    worker = cast.community_worker
    election = _election(worker, cast.b)
    for o in owners[:5]:
        services.candidate_nominate(actor=worker, election=election, person=o.person, kind="self")
    with pytest.raises(ValidationError, match="未经资格审查"):
        services.election_publish_slate(actor=worker, election=election)
    for c in election.candidates.all()[:4]:
        services.candidate_check(actor=worker, candidate=c, eligible=True)
    services.candidate_check(
        actor=worker, candidate=election.candidates.last(), eligible=False, reason="被依法限制"
    )
    with pytest.raises(ValidationError, match="少于应选人数 5 名"):
        services.election_publish_slate(actor=worker, election=election)
    assert Election.objects.get(pk=election.pk).state == E.NOMINATING


def test_slate_is_published_for_objections_before_the_ballot(cast, owners):
    worker = cast.community_worker
    election = _election(worker, cast.b)
    _slate(worker, election, [o.person for o in owners[:6]], now=timezone.now())
    assert Notice.objects.filter(kind=NoticeKind.SLATE, related_id=str(election.pk)).exists()
    draft = services.assembly_create(
        actor=worker,
        compound=cast.b,
        title="会议",
        opens_at=timezone.now() + 9 * DAY,
        closes_at=timezone.now() + 10 * DAY,
    )
    with pytest.raises(ValidationError, match="公示期"):
        services.election_start_ballot(actor=worker, election=election, assembly=draft)


def _vote(assembly, owners, choices):
    question = assembly.questions.get()
    for owner, chosen in zip(owners, choices, strict=False):
        services.ballot_cast(actor=owner, question=question, candidates=[c.pk for c in chosen])


def test_election_ballot_chooses_at_most_the_seats(cast, owners):
    worker = cast.community_worker
    election = _election(worker, cast.b)
    slate = _slate(worker, election, [o.person for o in owners[:7]])
    assembly = _ballot(worker, election, cast.b)
    question = assembly.questions.get()
    assert (question.seats, question.matter) == (5, "elect_committee")
    with pytest.raises(ValidationError, match="最多选 5 人"):
        services.ballot_cast(
            actor=owners[0], question=question, candidates=[c.pk for c in slate[:6]]
        )
    with pytest.raises(ValidationError, match="不在候选人名单中"):
        services.ballot_cast(actor=owners[0], question=question, candidates=[999999])
    empty = services.ballot_cast(actor=owners[0], question=question, candidates=[])
    assert empty.counts and not empty.approvals.exists()


def test_count_elects_by_heads_then_area_and_awaits_filing(cast, owners):
    worker = cast.community_worker
    election = _election(worker, cast.b)
    slate = _slate(worker, election, [o.person for o in owners[:7]])
    assembly = _ballot(worker, election, cast.b)
    _vote(assembly, owners, [slate[:5]] * 8 + [slate[2:7]] * 2)
    services.assembly_close(actor=worker, assembly=assembly, now=after_close(assembly))
    election.refresh_from_db()
    assert election.state == E.COUNTED and election.counted_at
    elected = set(Candidate.objects.filter(status=CandidateStatus.ELECTED))
    assert elected == set(slate[:5])


def test_exact_tie_for_the_last_seat_goes_to_a_runoff_question(cast, owners):
    worker = cast.community_worker
    election = _election(worker, cast.b)
    slate = _slate(worker, election, [o.person for o in owners[:6]])
    assembly = _ballot(worker, election, cast.b)
    c1, c2, c3, c4, c5, c6 = slate
    # 1 and 2: 10 heads; 3 and 4: 8; 5 and 6: 7 each with the same area, both more than
    # half, tied for the one seat left: neither is elected, they go to a runoff.
    ballots = [[c1, c2, c3, c4, c5]] * 3 + [[c1, c2, c3, c4, c6]] * 3
    ballots += [[c1, c2, c3, c5, c6]] * 2 + [[c1, c2, c4, c5, c6]] * 2
    _vote(assembly, owners, ballots)
    services.assembly_close(actor=worker, assembly=assembly, now=after_close(assembly))
    election.refresh_from_db()
    assert election.state == E.BALLOTING and election.round == 2
    assert set(Candidate.objects.filter(status=CandidateStatus.ELECTED)) == set(slate[:4])
    runoff = Assembly.objects.exclude(pk=assembly.pk).get(compound=cast.b)
    question = runoff.questions.get()
    assert runoff.state == rules.AssemblyState.DRAFT
    assert question.seats == 1 and set(question.candidates.all()) == {slate[4], slate[5]}
    assert question.result is None


def test_seats_left_unfilled_go_to_a_new_round(cast, owners):
    worker = cast.community_worker
    election = _election(worker, cast.b)
    slate = _slate(worker, election, [o.person for o in owners[:7]])
    assembly = _ballot(worker, election, cast.b)
    # Only three candidates get more than half; the other two seats stay empty.
    _vote(assembly, owners, [slate[:3] + slate[3:5]] * 5 + [slate[:3] + slate[5:7]] * 5)
    services.assembly_close(actor=worker, assembly=assembly, now=after_close(assembly))
    election.refresh_from_db()
    assert election.state == E.NOMINATING and election.round == 2
    assert Candidate.objects.filter(status=CandidateStatus.ELECTED).count() == 3
    assert services.elections.seats_to_fill(election) == 2


def test_self_management_committee_is_chosen_by_story_003_steps(cast):
    cast.b.has_property_company = False
    cast.b.save()
    worker = cast.community_worker
    election = _election(worker, cast.b, kind="self_management_committee")
    tenant = cast.outsider  # lives in Z; make them a resident of B
    from tests.factories import ResidencyFactory

    ResidencyFactory(household__room=cast.room_b, household__head=tenant.person)
    access.forget(tenant)
    with pytest.raises(ValidationError, match="自管会选举不接受提名方式"):
        services.candidate_nominate(
            actor=worker, election=election, person=tenant.person, kind="party_branch"
        )
    candidate = services.candidate_nominate(
        actor=tenant, election=election, person=tenant.person, kind="self"
    )
    assert candidate.nomination_label == "自主推荐"
    services.candidate_check(
        actor=worker, candidate=candidate, eligible=True
    )  # residents may stand
    assert election.steps[:3] == ("自主推荐", "群众推荐", "资格审查与候选人公示")


def test_filing_records_the_street_office(cast, owners):
    worker = cast.community_worker
    office = BodyFactory(
        kind=BodyKind.STREET_OFFICE, place_path=cast.street.path, name="一街道办事处"
    )
    election = _election(worker, cast.b)
    with pytest.raises(ValidationError, match="不能变为“已备案”"):
        services.election_file(
            actor=worker, election=election, reference="备字1号", filed_with=office
        )
    Election.objects.filter(pk=election.pk).update(state=E.COUNTED, counted_at=timezone.now())
    election.refresh_from_db()
    with pytest.raises(ValidationError, match="街道办事处"):
        services.election_file(
            actor=worker, election=election, reference="备字1号", filed_with=cast.branch_a
        )
    services.election_file(actor=worker, election=election, reference="备字1号", filed_with=office)
    assert (election.state, election.filed_with, election.filing_reference) == (
        E.FILED,
        office,
        "备字1号",
    )


def test_candidate_area_ties_break_by_area(cast):
    """Same heads, different area: the larger area ranks first (rules.elect)."""
    result = rules.elect(
        rules.Totals(Decimal("300.00"), 3),
        rules.Totals(Decimal("300.00"), 3),
        {"a": rules.Totals(Decimal("180.00"), 2), "b": rules.Totals(Decimal("200.00"), 2)},
        1,
    )
    assert result.elected == ("b",)


def test_every_candidate_has_a_result_on_the_page_and_in_the_pdf(cast, owners, client, monkeypatch):
    """Elected, outranked (more than half but no seat left) and under half: no blank cell."""
    from gongzhi.voting import pdf

    worker = cast.community_worker
    election = _election(worker, cast.b)
    slate = _slate(worker, election, [o.person for o in owners[:7]])
    assembly = _ballot(worker, election, cast.b)
    # 1-3: 10 heads, 4 and 5: 7 (elected); 6: 6 of 10 (more than half, no seat left); 7: 0.
    c1, c2, c3, c4, c5, c6, _c7 = slate
    _vote(
        assembly, owners, [slate[:5]] * 4 + [[c1, c2, c3, c4, c6]] * 3 + [[c1, c2, c3, c5, c6]] * 3
    )
    services.assembly_close(actor=worker, assembly=assembly, now=after_close(assembly))
    tables = []
    real = pdf._table
    monkeypatch.setattr(
        pdf, "_table", lambda rows, widths: tables.append(rows) or real(rows, widths)
    )
    pdf.result_pdf(assembly, verify_url="https://gongzhi.example/v/")
    candidates = next(t for t in tables if t[0][0] == "候选人")
    outcomes = {row[0].split()[-1]: row[3] for row in candidates[1:]}
    assert all(cell != "" for row in candidates for cell in row)
    names = [c.person.name for c in slate]
    assert [outcomes[n] for n in names] == ["当选"] * 5 + ["未当选", "未过半数"]
    client.force_login(worker)
    html = client.get(f"/assemblies/{assembly.pk}/result").content.decode()
    assert html.count("<td>未当选</td>") == 1 and html.count("<td>未过半数</td>") == 1


def test_nomination_lists_each_person_once_with_where_they_own(cast, client):
    """Two owners called 陈成 are told apart by building and room (masked for owners, in
    full for the election's managers); one already nominated is not offered again; the
    list can be searched."""
    worker = cast.community_worker
    building = BuildingFactory(compound=cast.b, name="6号楼")
    for room_name in ("1203", "802"):
        room = RoomFactory(building=building, name=room_name)
        OwnershipFactory(room=room, person=PersonFactory(name="陈成"))
    owner = add_owner(cast.b, building=building)
    election = _election(worker, cast.b)
    services.candidate_nominate(actor=owner, election=election, person=owner.person, kind="self")

    client.force_login(owner)
    html = client.get(f"/elections/{election.pk}/").content.decode()
    nominee = html[html.index('id="nominee-list"') : html.index('id="nominators-list"')]
    assert nominee.count("陈成 · 6号楼 12**") == 1 and nominee.count("陈成 · 6号楼 8**") == 1
    assert "1203" not in html and f'value="{owner.person.pk}"' not in nominee  # nominated
    assert "data-picker-search" in html and 'type="radio"' in nominee
    client.force_login(worker)
    html = client.get(f"/elections/{election.pk}/").content.decode()
    assert "陈成 · 6号楼 1203" in html and "陈成 · 6号楼 802" in html


def test_room_labels_are_masked_for_fellow_owners():
    assert rules.room_label("6号楼", "1203", masked=True) == "6号楼 12**"
    assert rules.room_label("6号楼", "802", masked=True) == "6号楼 8**"
    assert rules.room_label("6号楼", "A", masked=True) == "6号楼 *"
    assert rules.room_label("6号楼", "1203", masked=False) == "6号楼 1203"
    assert rules.rooms_text(["1号楼 1**", "2号楼 2**", "3号楼 3**"]) == "1号楼 1**、2号楼 2**等3套"
