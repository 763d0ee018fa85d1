"""Assembly state changes: only managers, only in order, only at the right time, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.voting import rules, services
from gongzhi.voting.models import Assembly
from tests.voting.helpers import after_close, open_assembly

S = rules.AssemblyState


def _draft(actor, compound, days=8):
    now = timezone.now()
    assembly = services.assembly_create(
        actor=actor, compound=compound, title="业主大会", opens_at=now + dt.timedelta(days=days),
        closes_at=now + dt.timedelta(days=days + 7),
    )  # fmt: skip
    services.question_add(
        actor=actor, assembly=assembly, title="更换电梯", matter="use_maintenance_fund"
    )
    return assembly


@pytest.mark.parametrize("role", ["community_worker", "owners_chair"])
def test_manage_votes_holders_draft_publish_open_and_close(cast, role):
    actor = getattr(cast, role)
    assembly = open_assembly(actor, cast.a)
    services.assembly_close(actor=actor, assembly=assembly, now=after_close(assembly))
    assert assembly.state == S.CLOSED


@pytest.mark.parametrize(
    "role",
    [
        "owner",
        "resident",
        "clerk",
        "secretary",
        "building_leader",
        "grid_worker",
        "street_official",
        "outsider",
        "clerk_b",
    ],
)
def test_others_cannot_open_or_close(cast, staff, role):
    actor = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        _draft(actor, cast.a)
    assembly = _draft(staff[0], cast.a, days=8)
    services.assembly_publish_roll(actor=staff[0], assembly=assembly, now=timezone.now())
    with pytest.raises(PermissionDenied):
        services.assembly_open(actor=actor, assembly=assembly, now=assembly.opens_at)
    open_ = open_assembly(staff[0], cast.a)
    with pytest.raises(PermissionDenied):
        services.assembly_close(actor=actor, assembly=open_, now=after_close(open_))
    assert Assembly.objects.get(pk=open_.pk).state == S.OPEN


def test_moves_out_of_order_are_refused_with_a_clear_message(cast, staff):
    assembly = _draft(staff[0], cast.a)
    with pytest.raises(ValidationError) as exc:
        services.assembly_open(actor=staff[0], assembly=assembly)
    assert "当前状态为“筹备中”，不能变为“表决中”" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.assembly_close(actor=staff[0], assembly=assembly)
    assert Assembly.objects.get(pk=assembly.pk).state == S.DRAFT


def test_roll_needs_a_question_and_an_objection_period_before_voting(cast, staff):
    now = timezone.now()
    empty = services.assembly_create(
        actor=staff[0], compound=cast.a, title="空会议", opens_at=now + dt.timedelta(days=9),
        closes_at=now + dt.timedelta(days=10),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="至少一项议题"):
        services.assembly_publish_roll(actor=staff[0], assembly=empty)
    too_soon = _draft(staff[0], cast.a, days=3)
    with pytest.raises(ValidationError, match="公示期满之后"):
        services.assembly_publish_roll(actor=staff[0], assembly=too_soon, objection_days=7)
    assert not too_soon.roll.exists()


def test_cannot_open_before_the_objection_period_ends(cast, staff):
    assembly = _draft(staff[0], cast.a)
    services.assembly_publish_roll(actor=staff[0], assembly=assembly, objection_days=7)
    with pytest.raises(ValidationError, match="公示期满后才能开始表决"):
        services.assembly_open(
            actor=staff[0], assembly=assembly, now=timezone.now() + dt.timedelta(days=6)
        )
    services.assembly_open(
        actor=staff[0], assembly=assembly, now=timezone.now() + dt.timedelta(days=7, minutes=1)
    )
    assert assembly.state == S.OPEN


def test_cannot_close_before_the_deadline(cast, staff, open_a):
    with pytest.raises(ValidationError, match="不能提前结束表决"):
        services.assembly_close(
            actor=staff[0], assembly=open_a, now=open_a.closes_at - dt.timedelta(seconds=1)
        )
    assert Assembly.objects.get(pk=open_a.pk).state == S.OPEN


def test_bad_times_are_refused_and_nothing_is_created(cast, staff):
    now = timezone.now()
    with pytest.raises(ValidationError, match="截止时间必须晚于开始时间"):
        services.assembly_create(
            actor=staff[0], compound=cast.a, title="会议", opens_at=now, closes_at=now
        )
    assert not Assembly.objects.exists()


def test_questions_cannot_change_after_the_roll_is_published(cast, staff, open_a):
    with pytest.raises(ValidationError, match="议题不能再增减"):
        services.question_add(actor=staff[0], assembly=open_a, title="新议题", matter="other_major")
    with pytest.raises(ValidationError, match="未知的表决事项"):
        services.question_add(
            actor=staff[0], assembly=_draft(staff[0], cast.a), title="x", matter="party"
        )


def test_every_state_change_is_audited_and_the_roll_is_posted(cast, staff, open_a):
    services.assembly_close(actor=staff[1], assembly=open_a, now=after_close(open_a))
    actions = set(
        AuditEvent.objects.filter(object_type="voting.assembly").values_list("action", flat=True)
    )
    assert {
        "assembly.create",
        "assembly.publish_roll",
        "assembly.open",
        "assembly.close",
    } <= actions
    assert Notice.objects.filter(kind=NoticeKind.ROLL, related_id=str(open_a.pk)).exists()
