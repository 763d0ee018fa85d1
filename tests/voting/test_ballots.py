"""Casting online ballots: who, when, once, and changing a vote only if the policy allows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.audit.models import AuditEvent
from gongzhi.core import access
from gongzhi.voting import permissions, services
from gongzhi.voting.models import Ballot
from gongzhi.voting.services import DuplicateBallot
from tests.factories import OwnershipFactory
from tests.voting.helpers import add_owner, open_assembly, scan

ELEVATOR = (
    ("使用维修资金更换电梯", "use_maintenance_fund"),
    ("筹集维修资金", "raise_maintenance_fund"),
)


def test_owner_on_the_roll_votes_and_gets_a_receipt(cast, open_a):
    ballot = services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="agree")
    assert ballot.counts and ballot.channel == "online"
    assert len(ballot.receipt) == 10


def test_owner_of_compound_b_cannot_vote_in_a(cast, open_a):
    owner_b = cast.outsider  # lives in Z; give them a flat in B
    OwnershipFactory(room=cast.room_b, person=owner_b.person)
    access.forget(owner_b)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=owner_b, question=open_a.questions.get(), choice="agree")
    assert not Ballot.objects.exists()


def test_resident_who_is_not_an_owner_cannot_vote(cast, open_a):
    with pytest.raises(PermissionDenied, match="不在本次表决的业主名册上"):
        services.ballot_cast(actor=cast.resident, question=open_a.questions.get(), choice="agree")


def test_owner_who_bought_after_the_roll_was_drawn_cannot_vote(cast, open_a):
    OwnershipFactory(room=cast.room_a, person=cast.nobody.person, is_designated_voter=False)
    access.forget(cast.nobody)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=cast.nobody, question=open_a.questions.get(), choice="agree")


def test_voting_before_opens_at_is_refused(cast, open_a):
    with pytest.raises(ValidationError, match="投票尚未开始"):
        services.ballot_cast(
            actor=cast.owner, question=open_a.questions.get(), choice="agree",
            now=open_a.opens_at - dt.timedelta(seconds=1),
        )  # fmt: skip


def test_voting_at_closes_at_is_refused(cast, open_a):
    with pytest.raises(ValidationError, match="投票已于"):
        services.ballot_cast(
            actor=cast.owner, question=open_a.questions.get(), choice="agree", now=open_a.closes_at
        )
    assert not Ballot.objects.exists()


def test_second_ballot_on_the_same_question_is_refused(cast, open_a):
    question = open_a.questions.get()
    first = services.ballot_cast(actor=cast.owner, question=question, choice="agree")
    with pytest.raises(DuplicateBallot, match="本小区议事规则规定投票后不能更改"):
        services.ballot_cast(actor=cast.owner, question=question, choice="oppose")
    assert Ballot.objects.get().receipt == first.receipt
    assert Ballot.objects.get().choice == "agree"


def test_vote_change_before_closing_when_allowed_reissues_the_receipt(cast, staff):
    services.policy_update(actor=staff[0], compound=cast.a, allow_vote_change=True)
    assembly = open_assembly(staff[0], cast.a)
    question = assembly.questions.get()
    first = services.ballot_cast(actor=cast.owner, question=question, choice="agree")
    old_receipt = first.receipt
    changed = services.ballot_cast(actor=cast.owner, question=question, choice="oppose")
    assert Ballot.objects.count() == 1
    assert changed.choice == "oppose" and changed.receipt != old_receipt and changed.changed_at
    event = AuditEvent.objects.get(action="ballot.change")
    assert event.before == {"receipt": old_receipt}  # the choice is in neither
    assert event.after["receipt"] == changed.receipt


def test_online_ballot_cannot_be_spoilt_or_unknown(cast, open_a):
    for bad in ("spoilt", "yes", None):
        with pytest.raises(ValidationError, match="请选择"):
            services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice=bad)


def test_several_questions_are_all_or_nothing(cast, staff):
    assembly = open_assembly(staff[0], cast.a, ELEVATOR)
    q1, q2 = assembly.questions.order_by("position")
    with pytest.raises(ValidationError):
        services.ballots_cast(
            actor=cast.owner, assembly=assembly, answers={q1: "agree", q2: "maybe"}
        )
    assert not Ballot.objects.exists()
    ballots = services.ballots_cast(
        actor=cast.owner, assembly=assembly, answers={q1: "agree", q2: "oppose"}
    )
    assert [b.choice for b in ballots] == ["agree", "oppose"]
    assert len({b.receipt for b in ballots}) == 2


def _choices_in_audit() -> list:
    """Every audit event of a ballot that names a choice (or approved candidates)."""
    words = ("choice", "candidates", "agree", "oppose", "abstain", "spoilt")
    return [
        (e.action, e.before, e.after)
        for e in AuditEvent.objects.filter(action__startswith="ballot.")
        if any(w in json.dumps([e.before, e.after]) for w in words)
    ]


def test_no_audit_event_reads_a_choice_while_the_vote_is_open(cast, staff):
    """实名 or not, whoever reads the compound's audit log (the branch secretary, the street
    official) reads that a ballot was cast, not how: cast online, changed, and on paper."""
    services.policy_update(actor=staff[0], compound=cast.a, allow_vote_change=True)
    neighbour = add_owner(cast.a, "80.00")
    named = open_assembly(staff[0], cast.a, ELEVATOR)
    q1, q2 = named.questions.order_by("position")
    ballot = services.ballot_cast(actor=cast.owner, question=q1, choice="agree")
    changed = services.ballot_cast(actor=cast.owner, question=q1, choice="oppose")
    sheet = services.paper_sheet_enter(
        actor=staff[0], assembly=named, entry=permissions.roll_entry_of(neighbour, named), answers={q1: "abstain", q2: "spoilt"},
        scan=scan(),
    )  # fmt: skip
    assert _choices_in_audit() == []
    cast_event = AuditEvent.objects.get(action="ballot.cast")
    assert cast_event.object_id == str(ballot.pk)
    assert cast_event.after == {
        "question": 1, "channel": "online", "status": "valid",
        "voter": changed.roll_entry.voter_key, "receipt": ballot.receipt,
    }  # fmt: skip
    entered = AuditEvent.objects.get(action="ballot.paper.enter").after["ballots"]
    assert entered == [
        {"question": b.question.position, "receipt": b.receipt}
        for b in sheet.ballots.select_related("question").order_by("question__position")
    ]


def test_a_secret_ballot_is_audited_without_its_voter_or_receipt(cast, staff):
    """The published list maps receipts to choices: a receipt beside the voter's name
    would tell how they voted."""
    services.policy_update(actor=staff[0], compound=cast.a, named_ballots=False)
    secret = open_assembly(staff[0], cast.a, title="不记名")
    services.ballot_cast(actor=cast.owner, question=secret.questions.get(), choice="agree")
    event = AuditEvent.objects.get(action="ballot.cast")
    assert event.after == {"question": 1, "channel": "online", "status": "valid"}
    assert _choices_in_audit() == []
