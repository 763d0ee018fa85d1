"""Writes on assemblies before the vote: policy, drafting, questions, the roll, opening."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core.access import ensure
from gongzhi.core.refs import ensure_field
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.people.models import Ownership, Person
from gongzhi.people.permissions import PERSON_NOT_FOUND
from gongzhi.places.models import Compound
from gongzhi.voting import permissions, rules
from gongzhi.voting.models import Assembly, Question, RollEntry, VotingPolicy
from gongzhi.voting.services import roll as roll_builder
from gongzhi.voting.services._common import (
    fmt_time,
    lock_assembly,
    moment,
    move_assembly,
    refuse,
    rule_checked,
)

S = rules.AssemblyState
POLICY_FIELDS = [
    "count_parking_area",
    "proxy_limit",
    "allow_vote_change",
    "named_ballots",
    "objection_days",
    "joint_nomination_min",
]
MANAGE_MESSAGE = gettext_lazy("只有社区工作人员或业委会主任可以组织业主大会表决。")


def policy_for(compound: Compound) -> VotingPolicy:
    """The compound's policy, or the defaults (unsaved) when it never set one."""
    return VotingPolicy.objects.filter(compound=compound).first() or VotingPolicy(compound=compound)


def _ensure_manage(actor, compound: Compound) -> None:
    ensure(actor is None or permissions.can_manage_votes(actor, compound), MANAGE_MESSAGE)


@transaction.atomic
def policy_update(*, actor, compound: Compound, **fields) -> VotingPolicy:
    """Change the compound's voting policy (applies to assemblies whose roll is drawn later)."""
    _ensure_manage(actor, compound)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        refuse(
            _("未知的设置项：%(names)s")
            % {"names": pgettext("list separator", "、").join(sorted(unknown))}
        )
    policy = VotingPolicy.objects.select_for_update().filter(compound=compound).first()
    created = policy is None
    policy = policy or VotingPolicy(compound=compound)
    before = None if created else snapshot(policy, POLICY_FIELDS)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.updated_at = moment(None)
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        action="voting.policy.update",
        obj=policy,
        before=before,
        after=snapshot(policy, POLICY_FIELDS),
        place_path=compound.path,
    )
    return policy


def _check_times(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if opens_at is None or closes_at is None:
        refuse(_("请填写投票开始和截止时间。"))
    if closes_at <= opens_at:
        refuse(_("投票截止时间必须晚于开始时间。"), "closes_at")


@transaction.atomic
def assembly_create(
    *,
    actor,
    compound: Compound,
    title: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    description: str = "",
) -> Assembly:
    """Draft an owners' assembly session (业主大会会议)."""
    _ensure_manage(actor, compound)
    title = (title or "").strip()
    if not title:
        refuse(_("请填写会议名称。"), "title")
    _check_times(opens_at, closes_at)
    assembly = Assembly.objects.create(
        compound=compound,
        title=title[:200],
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="assembly.create",
        obj=assembly,
        after=snapshot(assembly, ["compound", "title", "opens_at", "closes_at"]),
        place_path=compound.path,
    )
    return assembly


@transaction.atomic
def assembly_update(
    *,
    actor,
    assembly: Assembly,
    title: str | None = None,
    description: str | None = None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Assembly:
    """Change title or times before voting opens."""
    _ensure_manage(actor, assembly.compound)
    assembly = lock_assembly(assembly)
    if assembly.state not in (S.DRAFT, S.ROLL_PUBLISHED):
        refuse(_("表决已开始，不能再修改会议名称和时间。"))
    fields = ["title", "description", "opens_at", "closes_at"]
    before = snapshot(assembly, fields)
    if title is not None:
        if not title.strip():
            refuse(_("请填写会议名称。"), "title")
        assembly.title = title.strip()[:200]
    if description is not None:
        assembly.description = description
    assembly.opens_at = opens_at or assembly.opens_at
    assembly.closes_at = closes_at or assembly.closes_at
    _check_times(assembly.opens_at, assembly.closes_at)
    assembly.save(update_fields=fields)
    audit.record(
        actor=actor,
        action="assembly.update",
        obj=assembly,
        before=before,
        after=snapshot(assembly, fields),
    )
    return assembly


@transaction.atomic
def question_add(
    *,
    actor,
    assembly: Assembly,
    title: str,
    matter: str,
    description: str = "",
    seats: int | None = None,
    election=None,
    candidates=(),
) -> Question:
    """Put a question on the agenda of a draft assembly. Election questions come from
    :func:`gongzhi.voting.services.elections.election_start_ballot`."""
    _ensure_manage(actor, assembly.compound)
    assembly = lock_assembly(assembly)
    if assembly.state != S.DRAFT:
        refuse(_("名册公示后议题不能再增减。"))
    matter = rule_checked(rules.parse_matter, matter, field="matter")
    title = (title or "").strip()
    if not title:
        refuse(_("请填写议题。"), "title")
    if seats is not None:
        if election is None:
            refuse(_("选举议题请在换届选举中发起（先提名、资格审查、公示候选人）。"), "seats")
        if matter is not rules.Matter.ELECT_COMMITTEE:
            refuse(_("只有选举业主委员会的议题才有应选人数。"), "seats")
    position = (assembly.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(
        assembly=assembly,
        position=position,
        title=title[:200],
        description=description,
        matter=matter,
        seats=seats,
        election=election,
    )
    if candidates:
        question.candidates.set(candidates)
    audit.record(
        actor=actor,
        action="assembly.question.add",
        obj=question,
        after={
            **snapshot(question, ["assembly", "position", "title", "matter", "seats"]),
            "candidates": [c.pk for c in candidates],
        },
        place_path=assembly.compound.path,
    )
    return question


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    assembly = question.assembly
    _ensure_manage(actor, assembly.compound)
    assembly = lock_assembly(assembly)
    if assembly.state != S.DRAFT:
        refuse(_("名册公示后议题不能再增减。"))
    if question.election_id:
        refuse(_("选举议题随选举产生，不能单独删除。"))
    before = snapshot(question, ["assembly", "position", "title", "matter"])
    pk = question.pk
    question.delete()
    audit.record(
        actor=actor,
        action="assembly.question.remove",
        object_type="voting.question",
        object_id=pk,
        object_repr=before["title"],
        before=before,
        place_path=assembly.compound.path,
    )


@transaction.atomic
def assembly_publish_roll(
    *, actor, assembly: Assembly, objection_days: int | None = None, now: dt.datetime | None = None
) -> Assembly:
    """Freeze the policy, draw the roll and publish it (公示) for objections."""
    _ensure_manage(actor, assembly.compound)
    now = moment(now)
    assembly = lock_assembly(assembly)
    move_assembly(assembly, S.ROLL_PUBLISHED)
    if not assembly.questions.exists():
        refuse(_("请先添加至少一项议题。"))
    policy = policy_for(assembly.compound)
    days = objection_days if objection_days is not None else policy.objection_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        refuse(_("名册公示天数应为 1 至 60 天。"), "objection_days")
    objections_until = now + dt.timedelta(days=days)
    if objections_until > assembly.opens_at:
        refuse(
            _(
                "名册须公示 %(days)s 天（至 %(until)s），"
                "投票开始时间（%(opens)s）应在公示期满之后，请先修改投票时间。"
            )
            % {
                "days": days,
                "until": fmt_time(objections_until),
                "opens": fmt_time(assembly.opens_at),
            }
        )
    assembly.count_parking_area = policy.count_parking_area
    assembly.proxy_limit = policy.proxy_limit
    assembly.allow_vote_change = policy.allow_vote_change
    assembly.named_ballots = policy.named_ballots
    heads = roll_builder.draw_roll(assembly)
    if heads == 0:
        refuse(_("本小区没有可计入表决的房屋，无法生成业主名册。"))
    assembly.state = S.ROLL_PUBLISHED
    assembly.roll_drawn_at = now
    assembly.objections_until = objections_until
    assembly.save()
    from gongzhi.voting.selectors import roll_totals

    total = roll_totals(assembly)
    audit.record(
        actor=actor,
        action="assembly.publish_roll",
        obj=assembly,
        after={
            "state": assembly.state,
            "objections_until": objections_until,
            "heads": total.heads,
            "area": rules.format_area(total.area),
            "policy": snapshot(
                assembly,
                ["count_parking_area", "proxy_limit", "allow_vote_change", "named_ballots"],
            ),
        },
    )
    notice_publish(
        actor=actor,
        compound=assembly.compound,
        title=_("%(title)s：业主名册公示") % {"title": assembly.title},
        body=_(
            "本次表决的业主名册已生成：共 %(heads)s 人，专有部分面积 "
            "%(area)s ㎡。公示期至 %(until)s。\n"
            "业主可登录平台查看本人的登记（房屋、面积、人数）；如有异议，请在公示期内向社区或业委会提出。\n"
            "投票时间：%(opens)s 至 %(closes)s。"
        )
        % {
            "heads": total.heads,
            "area": rules.format_area(total.area),
            "until": fmt_time(objections_until),
            "opens": fmt_time(assembly.opens_at),
            "closes": fmt_time(assembly.closes_at),
        },
        kind=NoticeKind.ROLL,
        related=assembly,
    )
    return assembly


def _parse_area(value) -> Decimal:
    try:
        text = value if isinstance(value, str) else format(Decimal(value), "f")
    except (InvalidOperation, TypeError, ValueError):
        refuse(_("面积格式无效。"), "area")
    return rule_checked(rules.parse_area, text, field="area")


@transaction.atomic
def roll_entry_correct(
    *,
    actor,
    entry: RollEntry,
    reason: str,
    person: Person | None = None,
    area=None,
    now: dt.datetime | None = None,
) -> RollEntry:
    """Correct one roll entry while the roll is published for objections; audited.

    ``person`` names the designated voter. If that person already has an entry, the two
    merge into one head with the areas summed (one owner, several rooms, one head).
    ``area`` corrects the entry's exclusive area (e.g. registered instead of contract area).
    """
    _ensure_manage(actor, entry.assembly.compound)
    now = moment(now)
    assembly = lock_assembly(entry.assembly)
    if assembly.state != S.ROLL_PUBLISHED:
        refuse(_("只有在名册公示期间才能更正名册。"))
    reason = (reason or "").strip()
    if not reason:
        refuse(_("请填写更正原因（如业主异议的内容）。"), "reason")
    if person is None and area is None:
        refuse(_("请填写要更正的表决人或面积。"))
    if person is not None:
        # The designated voter is a current owner of the compound; anyone else, of
        # elsewhere or missing, is refused with the same words (core.refs).
        ensure_field(
            Ownership.objects.filter(
                person=person, room__compound_id=entry.assembly.compound_id, until__isnull=True
            ).exists(),
            "person",
            PERSON_NOT_FOUND,
        )
    entry = RollEntry.objects.select_for_update().get(pk=entry.pk)
    fields = ["voter_key", "person", "is_developer", "room_ids", "rooms_label", "area", "note"]
    before = snapshot(entry, fields)
    merged_from = None
    if area is not None:
        entry.area = _parse_area(area)
    if person is not None and person.pk != entry.person_id:
        if entry.is_developer:
            refuse(_("开发建设单位的房屋合计为一人，不能指定为个人表决。"), "person")
        other = (
            RollEntry.objects.select_for_update()
            .filter(assembly=assembly, person=person)
            .exclude(pk=entry.pk)
            .first()
        )
        if other is not None:
            # Merge this entry's rooms into the person's existing entry: one head.
            merged_from = snapshot(entry, fields)
            other_before = snapshot(other, fields)
            other.room_ids = sorted(set(other.room_ids) | set(entry.room_ids))
            other.rooms_label = roll_builder._label(
                [s for s in (other.rooms_label, entry.rooms_label) if s]
            )
            other.area = other.area + entry.area
            other.corrected_at = now
            other.note = reason[:200]
            if entry.ballots.exists() or entry.proxies.exists():
                refuse(_("该登记已有选票或委托，不能合并。"))
            entry.delete()
            other.save()
            audit.record(
                actor=actor,
                action="assembly.roll.correct",
                obj=other,
                before={"entry": other_before, "merged": merged_from},
                after={**snapshot(other, fields), "reason": reason},
                place_path=assembly.compound.path,
            )
            return other
        entry.person = person
        entry.voter_key = roll_builder.person_key(person.pk)
    entry.note = reason[:200]
    entry.corrected_at = now
    entry.save()
    audit.record(
        actor=actor,
        action="assembly.roll.correct",
        obj=entry,
        before=before,
        after={**snapshot(entry, fields), "reason": reason},
        place_path=assembly.compound.path,
    )
    return entry


@transaction.atomic
def assembly_open(*, actor, assembly: Assembly, now: dt.datetime | None = None) -> Assembly:
    """Open the vote once the roll's objection period is over; the roll is final from here."""
    _ensure_manage(actor, assembly.compound)
    now = moment(now)
    assembly = lock_assembly(assembly)
    move_assembly(assembly, S.OPEN)
    if assembly.objections_until and now < assembly.objections_until:
        refuse(
            _("名册公示期至 %(until)s 结束，公示期满后才能开始表决。")
            % {"until": fmt_time(assembly.objections_until)}
        )
    if now >= assembly.closes_at:
        refuse(_("投票截止时间已过，请先修改投票时间。"))

    assembly.state = S.OPEN
    assembly.opened_at = now
    assembly.save(update_fields=["state", "opened_at"])
    audit.record(
        actor=actor,
        action="assembly.open",
        obj=assembly,
        before={"state": S.ROLL_PUBLISHED},
        after={"state": assembly.state, "opened_at": now},
    )
    return assembly
