"""Casting online ballots: who, when, once, and changing a vote only if the policy allows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.audit.models import AuditEvent
from gongzhi.core import access
from gongzhi.voting import services
from gongzhi.voting.models import Ballot
from gongzhi.voting.services import DuplicateBallot
from tests.factories import OwnershipFactory
from tests.voting.helpers import open_assembly

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
    assert event.before == {"receipt": old_receipt, "choice": "agree"}
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


def test_named_ballots_audit_the_choice_secret_ones_do_not(cast, staff):
    named = open_assembly(staff[0], cast.a)
    services.ballot_cast(actor=cast.owner, question=named.questions.get(), choice="agree")
    assert AuditEvent.objects.get(action="ballot.cast").after["choice"] == "agree"
    services.policy_update(actor=staff[0], compound=cast.a, named_ballots=False)
    secret = open_assembly(staff[0], cast.a, title="不记名")
    services.ballot_cast(actor=cast.owner, question=secret.questions.get(), choice="agree")
    last = AuditEvent.objects.filter(action="ballot.cast").order_by("-id").first()
    assert "choice" not in last.after
