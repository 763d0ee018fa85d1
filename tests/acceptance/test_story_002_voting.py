"""Story 002, 太平洋花园: the owners' committee election (7 seats, 5 of those elected party
members) and the elevator decision under Civil Code art. 278 — using the maintenance fund
passes by majority, while raising new funds for it on the same turnout needs 3/4 and
fails — then the result notice, and an owner checking their receipt.

Replayed twice: once through the services, once as the people involved would do it, over
HTTP (pages, and the API for a few voters). "Time passes" by moving the assembly's and
election's dates back, as the objection periods and the voting week go by.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.voting import rules, selectors, services
from gongzhi.voting.models import Assembly, Ballot, Candidate, CandidateStatus, Election
from tests.factories import (
    BuildingFactory,
    OwnershipFactory,
    PartyMemberFactory,
    RoomFactory,
)
from tests.voting.helpers import add_owner

M = rules.Matter
S = rules.AssemblyState
DAY = dt.timedelta(days=1)
AREAS = [
    "89.57",
    "76.43",
    "120.00",
    "95.10",
    "88.00",
    "102.35",
    "66.60",
    "110.20",
    "93.00",
    "84.40",
    "99.99",
]


@pytest.fixture
def garden(cast):
    """太平洋花园 (compound A of the cast): 11 buildings' worth of owners, in miniature:
    24 owners besides cast.owner, one of whom owns two flats, and two unsold flats."""
    compound = cast.a
    compound.name = "太平洋花园"
    compound.save()
    cast.street_office.name = "东湖街道办事处"
    cast.street_office.save()
    buildings = [BuildingFactory(compound=compound, name=f"{n}号楼") for n in range(3, 6)]
    owners = [cast.owner] + [
        add_owner(compound, AREAS[i % len(AREAS)], building=buildings[i % 3]) for i in range(24)
    ]
    OwnershipFactory(
        room=RoomFactory(building=buildings[0], exclusive_area=Decimal("45.00")),
        person=owners[3].person,
    )
    for _ in range(2):
        RoomFactory(building=buildings[1], held_by_developer=True, exclusive_area=Decimal("80.00"))
    for owner in owners[:5]:  # the five party members who will be elected
        PartyMemberFactory(person=owner.person)
    return compound, owners


def _shift(*, assembly=None, election=None, days: float):
    """Time passes: every date of the assembly or election moves ``days`` into the past."""
    delta = dt.timedelta(days=days)
    if assembly is not None:
        Assembly.objects.filter(pk=assembly.pk).update(
            opens_at=F("opens_at") - delta, closes_at=F("closes_at") - delta,
            objections_until=F("objections_until") - delta, roll_drawn_at=F("roll_drawn_at") - delta,
        )  # fmt: skip
    if election is not None:
        Election.objects.filter(pk=election.pk).update(
            objections_until=F("objections_until") - delta
        )


def _decision(i: int) -> str:
    """16 of the 22 voters agree (72.7 % of heads): more than half, less than three quarters."""
    return "agree" if i % 10 < 7 or i >= 20 else ("oppose" if i % 10 < 9 else "abstain")


def _approvals(i: int, slate: list[Candidate]) -> list[Candidate]:
    """Nearly everyone approves candidates 1-7; every fifth voter swaps 6 and 7 for 8 and 9."""
    return slate[:5] + slate[7:9] if i % 5 == 0 else slate[:7]


def _assert_story_outcome(compound, assembly, election):
    use, raise_ = (
        assembly.questions.get(matter=m) for m in (M.USE_MAINTENANCE_FUND, M.RAISE_MAINTENANCE_FUND)
    )
    for q in (use, raise_):
        assert q.result["quorum_met"] is True
        assert q.result["participating"]["heads"] == 22 and q.result["agree"]["heads"] == 16
    assert use.passed is True and use.result["threshold"] == rules.MAJORITY.description
    assert raise_.passed is False and raise_.result["threshold"] == rules.SUPERMAJORITY.description
    election.refresh_from_db()
    assert election.state == rules.ElectionState.COUNTED
    elected = Candidate.objects.filter(election=election, status=CandidateStatus.ELECTED)
    assert elected.count() == 7
    assert elected.filter(is_party_member=True).count() == 5
    assert selectors.check_ledger(assembly).matches


def test_story_002_through_the_services(cast, garden):
    compound, owners = garden
    worker, chair, secretary = cast.community_worker, cast.owners_chair, cast.secretary
    t0 = timezone.now() - 40 * DAY
    election = services.election_create(
        actor=worker,
        compound=compound,
        title="第六届业主委员会换届选举",
        committee_kind="owners_committee",
        seats=7,
        term_years=5,
    )
    for owner in owners[:3]:
        services.candidate_nominate(
            actor=secretary, election=election, person=owner.person, kind="party_branch", now=t0
        )
    for owner in owners[3:6]:
        services.candidate_nominate(
            actor=owner, election=election, person=owner.person, kind="self", now=t0
        )
    for owner in owners[6:9]:
        nominators = [o.person for o in owners[10:15]]
        services.candidate_nominate(
            actor=owners[10],
            election=election,
            person=owner.person,
            kind="joint",
            nominators=nominators,
            now=t0,
        )
    for candidate in election.candidates.all():
        services.candidate_check(actor=worker, candidate=candidate, eligible=True, now=t0)
    services.election_publish_slate(actor=worker, election=election, objection_days=7, now=t0)
    assembly = services.assembly_create(
        actor=worker,
        compound=compound,
        title="业主大会",
        opens_at=t0 + 9 * DAY,
        closes_at=t0 + 16 * DAY,
    )
    services.election_start_ballot(
        actor=worker, election=election, assembly=assembly, now=t0 + 8 * DAY
    )
    use = services.question_add(
        actor=worker,
        assembly=assembly,
        title="使用维修资金更换9部电梯",
        matter=M.USE_MAINTENANCE_FUND,
    )
    raise_ = services.question_add(
        actor=worker, assembly=assembly, title="按户筹集电梯资金", matter=M.RAISE_MAINTENANCE_FUND
    )
    services.assembly_publish_roll(
        actor=worker, assembly=assembly, objection_days=1, now=t0 + 8 * DAY
    )
    services.assembly_open(actor=worker, assembly=assembly, now=t0 + 9 * DAY)
    vote = election.questions.get()
    slate = list(vote.candidates.order_by("number"))
    for i, owner in enumerate(owners[:22]):
        answers = {
            use: _decision(i),
            raise_: _decision(i),
            vote: [c.pk for c in _approvals(i, slate)],
        }
        services.ballots_cast(actor=owner, assembly=assembly, answers=answers, now=t0 + 10 * DAY)
    services.assembly_close(actor=chair, assembly=assembly, now=t0 + 16 * DAY)
    services.assembly_publish_result(
        actor=chair, assembly=assembly, verify_url="http://testserver/verify/x/", now=t0 + 16 * DAY
    )
    _assert_story_outcome(compound, assembly, election)
    assert Notice.objects.filter(kind=NoticeKind.VOTE_RESULT, related_id=str(assembly.pk)).exists()
    receipt = Ballot.objects.get(question=use, roll_entry__person=owners[8].person).receipt
    assert selectors.find_receipt(assembly, receipt).choice == "oppose"


def _fmt(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_story_002_over_http(client, cast, garden):
    compound, owners = garden
    worker, chair, secretary = cast.community_worker, cast.owners_chair, cast.secretary

    # 1. The community worker opens the 换届 election; nominations come in three ways.
    client.force_login(worker)
    client.post(
        f"/compounds/{compound.pk}/elections/",
        {
            "title": "第六届业主委员会换届选举",
            "committee_kind": "owners_committee",
            "seats": 7,
            "term_years": 5,
        },
    )
    election = Election.objects.get()
    client.force_login(secretary)
    for owner in owners[:3]:
        client.post(
            f"/elections/{election.pk}/nominate",
            {"kind": "party_branch", "person": owner.person.pk},
        )
    for owner in owners[3:6]:
        client.force_login(owner)
        client.post(f"/elections/{election.pk}/nominate", {"kind": "self"})
    client.force_login(owners[10])
    for owner in owners[6:9]:
        nominators = [o.person.pk for o in owners[10:15]]
        client.post(
            f"/elections/{election.pk}/nominate",
            {"kind": "joint", "person": owner.person.pk, "nominators": nominators},
        )
    assert election.candidates.count() == 9
    assert set(Candidate.objects.get(person=owners[6].person).nominators.all()) == {
        o.person for o in owners[10:15]
    }

    # 2-3. Eligibility checks, then the slate is published for objections.
    client.force_login(worker)
    for candidate in election.candidates.all():
        client.post(f"/candidates/{candidate.pk}/check", {"eligible": "1"})
    client.post(f"/elections/{election.pk}/publish-slate")
    election.refresh_from_db()
    assert election.state == rules.ElectionState.SLATE_PUBLISHED
    _shift(election=election, days=8)

    # The assembly: the election and the two elevator questions.
    now = timezone.now()
    client.post(
        f"/compounds/{compound.pk}/assemblies/",
        {
            "title": "太平洋花园业主大会",
            "opens_at": _fmt(now + 8 * DAY),
            "closes_at": _fmt(now + 15 * DAY),
        },
    )
    assembly = Assembly.objects.get()
    client.post(f"/elections/{election.pk}/start-ballot", {"assembly": assembly.pk})
    client.post(
        f"/assemblies/{assembly.pk}/questions/add",
        {"title": "使用维修资金更换9部电梯", "matter": M.USE_MAINTENANCE_FUND},
    )
    client.post(
        f"/assemblies/{assembly.pk}/questions/add",
        {"title": "按户筹集电梯资金", "matter": M.RAISE_MAINTENANCE_FUND},
    )
    client.post(f"/assemblies/{assembly.pk}/move", {"to": "roll_published"})
    assembly.refresh_from_db()
    assert assembly.state == S.ROLL_PUBLISHED
    assert assembly.roll.count() == 26  # 25 owners, one of them with two flats, + the developer

    # An owner checks their own entry while the roll is published.
    client.force_login(owners[3])
    mine = client.get(f"/assemblies/{assembly.pk}/roll").content.decode()
    assert "我的登记" in mine and f"{Decimal(AREAS[2]) + Decimal('45.00')}" in mine

    _shift(assembly=assembly, days=8.05)
    client.force_login(worker)
    client.post(f"/assemblies/{assembly.pk}/move", {"to": "open"})
    assembly.refresh_from_db()
    assert assembly.state == S.OPEN

    # 4. Owners vote: most on the page, a few over the API; the meter follows.
    vote = election.questions.get()
    use = assembly.questions.get(matter=M.USE_MAINTENANCE_FUND)
    raise_ = assembly.questions.get(matter=M.RAISE_MAINTENANCE_FUND)
    slate = list(vote.candidates.order_by("number"))
    api = APIClient()
    for i, owner in enumerate(owners[:22]):
        if i < 18:
            client.force_login(owner)
            form = {
                f"q{use.pk}": _decision(i),
                f"q{raise_.pk}": _decision(i),
                f"q{vote.pk}": [c.pk for c in _approvals(i, slate)],
            }
            page = f"/assemblies/{assembly.pk}/vote"
            assert "请核对您的选择" in client.post(page, form).content.decode()  # the review
            assert client.post(page, {**form, "confirm": "1"}).status_code == 302
        else:
            api.force_authenticate(owner)
            url = f"/api/v1/assemblies/{assembly.pk}/ballots/"
            for q in (use, raise_):
                assert (
                    api.post(
                        url, {"question": q.pk, "choice": _decision(i)}, format="json"
                    ).status_code
                    == 201
                )
            body = {"question": vote.pk, "candidates": [c.pk for c in _approvals(i, slate)]}
            assert api.post(url, body, format="json").status_code == 201
            assert api.post(url, body, format="json").status_code == 409
    client.force_login(owners[23])
    meter = client.get(f"/assemblies/{assembly.pk}/meter").content.decode()
    assert "22 / 26" in meter and "已达到三分之二参与条件" in meter

    # 5. After the deadline, the chair closes the vote and publishes the result.
    _shift(assembly=assembly, days=8)
    client.force_login(chair)
    client.post(f"/assemblies/{assembly.pk}/move", {"to": "closed"})
    client.post(f"/assemblies/{assembly.pk}/move", {"to": "result_published"})
    assembly.refresh_from_db()
    assert assembly.state == S.RESULT_PUBLISHED
    _assert_story_outcome(compound, assembly, election)

    # The result explains itself on its page.
    page = client.get(f"/assemblies/{assembly.pk}/result").content.decode()
    assert "事项通过" in page and "事项未通过" in page and "当选 7 人" in page
    assert rules.SUPERMAJORITY.description in page and "核验通过" in page

    # The result notice is on the board, with the printable PDF.
    client.force_login(owners[8])
    board = client.get(f"/compounds/{compound.pk}/notices/").content.decode()
    notice = Notice.objects.get(kind=NoticeKind.VOTE_RESULT)
    assert notice.title in board
    pdf = client.get(f"/notices/{notice.pk}/attachment")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    # An owner finds their receipt on their ballot page and checks it, logged out.
    ballots_page = client.get(f"/assemblies/{assembly.pk}/vote").content.decode()
    ballot = Ballot.objects.get(question=use, roll_entry__person=owners[8].person)
    assert ballot.receipt in ballots_page
    code = re.search(r"/verify/([^/]+)/", notice.body).group(1)
    client.logout()
    checked = client.get(f"/verify/{code}/", {"receipt": ballot.receipt}).content.decode()
    assert "该回执在公布的选票清单中" in checked and "反对" in checked

    # 6. Filing with the street office.
    client.force_login(worker)
    client.post(f"/elections/{election.pk}/file", {"reference": "东湖街道备字〔2026〕12号"})
    election.refresh_from_db()
    assert (
        election.state == rules.ElectionState.FILED and election.filed_with.name == "东湖街道办事处"
    )
