"""Demo data for voting: story 002 (太平洋花园) replayed on a compound the demo loader built.

``load_voting_demo(compound)`` creates, through the services (actor None = the system):

* a CLOSED assembly with its result published: the 7-seat owners' committee election
  (9 candidates, the 7 elected include 5 party members, as the article says) and the
  elevator decision — using the maintenance fund passes by majority, while raising new
  funds for it, on the very same ballots, needs 3/4 and fails;
* an OPEN assembly (管理规约 and a change of use of common parts) with some ballots cast.

Demo ballots are written in bulk (they stand for owners voting online); everything else
goes through the services, so notices, audit events and the published hash are real.
Running it twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gongzhi.bodies.models import Body, BodyKind, PartyMember
from gongzhi.bodies.services import party_member_register
from gongzhi.people.models import Account
from gongzhi.places.models import Compound
from gongzhi.voting import ledger, rules, selectors, services
from gongzhi.voting.models import (
    Assembly,
    Ballot,
    BallotApproval,
    BallotStatus,
    Channel,
    Question,
    RollEntry,
)

log = logging.getLogger(__name__)
CLOSED_TITLE = "第六届业委会换届暨电梯更换业主大会"
OPEN_TITLE = "管理规约修订及架空层便民服务点业主大会"
M = rules.Matter


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _bulk_ballots(question: Question, votes: list[tuple[RollEntry, str, list]], at) -> None:
    """Write demo ballots in bulk: (entry, choice, candidates)."""
    accounts = dict(
        Account.objects.filter(
            person_id__in=[e.person_id for e, _, _ in votes if e.person_id]
        ).values_list("person_id", "pk")
    )
    ballots = [
        Ballot(
            question=question,
            roll_entry=entry,
            choice=choice,
            channel=Channel.ONLINE,
            status=BallotStatus.VALID,
            receipt=ledger.new_receipt(),
            cast_by_id=accounts.get(entry.person_id),
            cast_at=at,
        )
        for entry, choice, _ in votes
    ]
    Ballot.objects.bulk_create(ballots)
    saved = {
        b.roll_entry_id: b.pk
        for b in Ballot.objects.filter(question=question).only("pk", "roll_entry_id")
    }
    BallotApproval.objects.bulk_create(
        BallotApproval(ballot_id=saved[entry.pk], candidate=c)
        for entry, _, candidates in votes
        for c in candidates
    )


def _participants(assembly: Assembly, every: int) -> list[RollEntry]:
    """Roll entries with a voter, by area; every ``every``-th one stays away."""
    entries = list(
        RollEntry.objects.filter(assembly=assembly)
        .exclude(person__isnull=True, is_developer=False)
        .order_by("area", "id")
    )
    return [e for i, e in enumerate(entries) if e.is_developer or i % every != every - 1]


def _branch(compound: Compound) -> Body | None:
    return Body.objects.filter(kind=BodyKind.COMPOUND_PARTY_BRANCH, compound=compound).first()


def _pick_candidates(compound: Compound) -> list | None:
    """Nine owners: five party members first (registered as such if needed), four others."""
    owners = list(selectors.people_who_may_stand(compound)[:200])
    if len(owners) < 9:
        return None
    members = {
        p for p in PartyMember.objects.filter(person__in=owners).values_list("person_id", flat=True)
    }
    party = [p for p in owners if p.pk in members][:5]
    others = [p for p in owners if p.pk not in members]
    while len(party) < 5 and len(others) > 4:
        person = others.pop(0)
        branch = _branch(compound)
        party_member_register(
            actor=None,
            person=person,
            organisation=branch,
            organisation_name="" if branch else f"{compound.name}党支部",
        )
        party.append(person)
    if len(party) < 5 or len(others) < 4:
        return None
    return party + others[:4]


def _election(compound: Compound, t0: dt.datetime):
    people = _pick_candidates(compound)
    if people is None:
        log.warning("voting demo: fewer than nine owners in %s, no election", compound)
        return None
    election = services.election_create(
        actor=None, compound=compound, title="第六届业主委员会换届选举",
        committee_kind="owners_committee", seats=7, term_years=5,
    )  # fmt: skip
    owners = list(selectors.people_who_may_stand(compound))
    has_branch = _branch(compound) is not None
    for i, person in enumerate(people):
        kind = (
            ("party_branch" if has_branch else "joint") if i < 3 else ("self" if i % 2 else "joint")
        )
        nominators = [p for p in owners if p.pk != person.pk][i : i + 5] if kind == "joint" else []
        services.candidate_nominate(
            actor=None, election=election, person=person, kind=kind, nominators=nominators,
            statement="热心小区事务，愿为业主服务。", now=t0 - dt.timedelta(days=25),
        )  # fmt: skip
    for candidate in election.candidates.all():
        services.candidate_check(
            actor=None, candidate=candidate, eligible=True, now=t0 - dt.timedelta(days=20)
        )
    services.election_publish_slate(
        actor=None, election=election, objection_days=7, now=t0 - dt.timedelta(days=16)
    )
    return election


def _closed_assembly(compound: Compound, now: dt.datetime) -> Assembly:
    t0 = now - dt.timedelta(days=60)
    election = _election(compound, t0)
    assembly = services.assembly_create(
        actor=None, compound=compound, title=CLOSED_TITLE,
        opens_at=t0 + dt.timedelta(days=8), closes_at=t0 + dt.timedelta(days=22),
        description="社区党委牵头成立筹备组，挨家挨户听取意见；经民主听证会和三家电梯供应商现场竞标，提请业主大会表决。",
    )  # fmt: skip
    if election is not None:
        services.election_start_ballot(
            actor=None, election=election, assembly=assembly, now=t0 - dt.timedelta(days=1)
        )
    use = services.question_add(
        actor=None, assembly=assembly, matter=M.USE_MAINTENANCE_FUND,
        title="使用专项维修资金更换9部老旧高危电梯（中标方案）",
    )  # fmt: skip
    raise_ = services.question_add(
        actor=None, assembly=assembly, matter=M.RAISE_MAINTENANCE_FUND,
        title="按户筹集电梯更换资金（续筹维修资金）",
    )  # fmt: skip
    services.assembly_publish_roll(actor=None, assembly=assembly, objection_days=7, now=t0)
    services.assembly_open(actor=None, assembly=assembly, now=t0 + dt.timedelta(days=8))
    voting_at = t0 + dt.timedelta(days=10)
    participants = _participants(assembly, every=7)  # about 6 in 7 take part
    decision = [
        (
            e,
            "agree" if e.is_developer or i % 10 < 7 else ("oppose" if i % 10 < 9 else "abstain"),
            [],
        )
        for i, e in enumerate(participants)
    ]
    _bulk_ballots(use, decision, voting_at)
    _bulk_ballots(raise_, decision, voting_at)  # the same ballots: only the threshold differs
    if election is not None:
        question = election.questions.get(assembly=assembly)
        slate = list(question.candidates.order_by("number"))
        first, last = slate[:7], slate[5:]
        votes = [
            (e, "", first if i % 5 else slate[:5] + last[2:]) for i, e in enumerate(participants)
        ]
        _bulk_ballots(question, votes, voting_at)
    close_at = assembly.closes_at + dt.timedelta(hours=2)
    services.assembly_close(actor=None, assembly=assembly, now=close_at)
    verify = _site_url() + reverse("voting:verify", args=[assembly.public_code])
    services.assembly_publish_result(actor=None, assembly=assembly, verify_url=verify, now=close_at)
    if election is not None:
        election.refresh_from_db()
        if election.state == rules.ElectionState.COUNTED:
            services.election_file(
                actor=None, election=election, reference="街道备字〔2026〕第12号",
                filed_with=selectors.street_office_of(compound),
                filed_at=close_at + dt.timedelta(days=12),
            )  # fmt: skip
    return assembly


def _open_assembly(compound: Compound, now: dt.datetime) -> Assembly:
    t0 = now - dt.timedelta(days=10)
    assembly = services.assembly_create(
        actor=None, compound=compound, title=OPEN_TITLE,
        opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=12),
        description="管理规约修订稿经50余条意见讨论后提请表决；架空层改作便民服务点属改变共有部分用途，须四分之三以上同意。",
    )  # fmt: skip
    rules_q = services.question_add(
        actor=None,
        assembly=assembly,
        matter=M.MANAGEMENT_RULES,
        title="通过《太平洋花园管理规约（修订稿）》",
    )
    use_q = services.question_add(
        actor=None, assembly=assembly, matter=M.CHANGE_COMMON_USE,
        title="将3号楼架空层改作邻里便民服务点",
    )  # fmt: skip
    services.assembly_publish_roll(actor=None, assembly=assembly, objection_days=7, now=t0)
    services.assembly_open(actor=None, assembly=assembly, now=now - dt.timedelta(days=2))
    participants = _participants(assembly, every=2)
    voters = participants[: max(1, len(participants) * 4 // 5)]
    at = now - dt.timedelta(days=1)
    _bulk_ballots(
        rules_q, [(e, "agree" if i % 6 else "oppose", []) for i, e in enumerate(voters)], at
    )
    _bulk_ballots(
        use_q, [(e, "agree" if i % 4 else "abstain", []) for i, e in enumerate(voters)], at
    )
    return assembly


@transaction.atomic
def load_voting_demo(compound: Compound, *, now: dt.datetime | None = None) -> dict[str, Assembly]:
    """Build the voting demo in ``compound`` (太平洋花园 in the demo loader). Idempotent."""
    now = now or timezone.now()
    existing = {
        a.title: a
        for a in Assembly.objects.filter(compound=compound, title__in=[CLOSED_TITLE, OPEN_TITLE])
    }
    if len(existing) == 2:
        return {"closed": existing[CLOSED_TITLE], "open": existing[OPEN_TITLE]}
    closed = existing.get(CLOSED_TITLE) or _closed_assembly(compound, now)
    opened = existing.get(OPEN_TITLE) or _open_assembly(compound, now)
    return {"closed": closed, "open": opened}
