"""Casting ballots: online, by proxy, and on paper (entered, then confirmed by another).

One ballot per voter per question is the database's job (a unique constraint); the
services turn the constraint's refusal into a clear message. Casting takes a lock that
casts share with each other and that closing must wait for, so nothing is cast after
the count. The audit log records that a ballot was cast, never its choice: the choice is
sealed in the ballot, counted at closing and published by receipt in the ballot list
(docs/voting.md). With named ballots (实名, the default) the event names the voter and the
receipt; with secret ones it names neither, so nothing ties a voter to a line of the list.

Changing a vote (when the policy allows it) replaces the choice and issues a NEW receipt:
a receipt always names exactly one choice, and the old receipt is no longer in the
published list. The change of a named ballot is audited with both receipts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.audit import services as audit
from gongzhi.core.access import ensure
from gongzhi.core.refs import ensure_field
from gongzhi.notifications.outbox import later
from gongzhi.people import permissions as people_permissions
from gongzhi.people.models import Person
from gongzhi.voting import ledger, permissions, rules
from gongzhi.voting.capabilities import VotingCap
from gongzhi.voting.models import (
    Assembly,
    Ballot,
    BallotApproval,
    BallotStatus,
    Channel,
    PaperSheet,
    Proxy,
    ProxyStatus,
    Question,
    RollEntry,
    SheetStatus,
)
from gongzhi.voting.services._common import (
    DuplicateBallot,
    fmt_time,
    moment,
    not_found_unless,
    refuse,
    share_lock_state,
    validate_scan,
)

S = rules.AssemblyState
Answer = str | Sequence[int] | None
ONLINE_CHOICES = {rules.Choice.AGREE, rules.Choice.OPPOSE, rules.Choice.ABSTAIN}


def _ensure_accepting(assembly: Assembly, now: dt.datetime, *, paper: bool = False) -> None:
    """Ballots are accepted only while the assembly is open, between its times.

    Paper ballots received before the deadline may still be entered and confirmed after
    it, until the assembly is closed.
    """
    state = share_lock_state(assembly.pk)
    if state != S.OPEN:
        refuse(
            _("本次表决当前为“%(state)s”，不接受投票。")
            % {"state": rules.ASSEMBLY_STATE_LABELS[rules.AssemblyState(state)]}
        )
    if now < assembly.opens_at:
        refuse(_("投票尚未开始（开始时间 %(opens)s）。") % {"opens": fmt_time(assembly.opens_at)})
    if now >= assembly.closes_at and not paper:
        refuse(_("投票已于 %(closes)s 截止。") % {"closes": fmt_time(assembly.closes_at)})


def _clean_answer(question: Question, answer: Answer, *, paper: bool) -> tuple[str, list]:
    """Validate one answer → (choice, candidates). Decision: a choice; election: ids."""
    allowed = ONLINE_CHOICES | ({rules.Choice.SPOILT} if paper else set())
    if isinstance(answer, str) and answer == rules.Choice.SPOILT and paper:
        return rules.Choice.SPOILT.value, []
    if not question.is_election:
        if not isinstance(answer, str) or answer not in {c.value for c in allowed}:
            labels = pgettext("list separator", "、").join(
                str(rules.CHOICE_LABELS[c]) for c in rules.Choice if c in allowed
            )
            refuse(
                _("第 %(n)s 项议题请选择：%(labels)s。")
                % {"n": question.position, "labels": labels},
                "choice",
            )
        return answer, []
    if isinstance(answer, str) or answer is None or not isinstance(answer, Iterable):
        refuse(
            _("第 %(n)s 项是选举，请选择候选人（可不选）。") % {"n": question.position},
            "candidates",
        )
    try:
        ids = [int(x) for x in answer]
    except (TypeError, ValueError):
        refuse(_("第 %(n)s 项的候选人编号无效。") % {"n": question.position}, "candidates")
    if len(set(ids)) != len(ids):
        refuse(_("第 %(n)s 项重复选择了同一候选人。") % {"n": question.position}, "candidates")
    if len(ids) > question.seats:
        refuse(
            _("第 %(n)s 项最多选 %(seats)s 人，您选了 %(chosen)s 人。")
            % {"n": question.position, "seats": question.seats, "chosen": len(ids)},
            "candidates",
        )
    by_id = {c.pk: c for c in question.candidates.all()}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        refuse(_("第 %(n)s 项的候选人不在候选人名单中。") % {"n": question.position}, "candidates")
    return "", [by_id[i] for i in ids]


def _store(
    question: Question,
    entry: RollEntry,
    choice: str,
    candidates: list,
    *,
    channel: str,
    status: str,
    cast_by,
    at: dt.datetime,
    proxy: Proxy | None = None,
    sheet: PaperSheet | None = None,
) -> Ballot:
    """Insert one ballot (and its approvals) in a savepoint; DuplicateBallot if the voter
    already has one on this question. A receipt collision simply draws a new receipt."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(
                    question=question,
                    roll_entry=entry,
                    choice=choice,
                    channel=channel,
                    status=status,
                    receipt=ledger.new_receipt(),
                    cast_by=cast_by if getattr(cast_by, "is_authenticated", False) else None,
                    proxy=proxy,
                    sheet=sheet,
                    cast_at=at,
                )
                if candidates:
                    BallotApproval.objects.bulk_create(
                        BallotApproval(ballot=ballot, candidate=c) for c in candidates
                    )
                return ballot
        except IntegrityError:
            if Ballot.objects.filter(question=question, roll_entry=entry).exists():
                raise DuplicateBallot(
                    _("%(voter)s已就第 %(n)s 项议题投票，不能重复投票。")
                    % {"voter": entry.voter_label, "n": question.position}
                ) from None
    raise IntegrityError("could not draw a unique receipt")  # pragma: no cover


def _audit_cast(actor, ballot: Ballot, action: str, *, before: dict | None = None) -> None:
    """That a ballot was cast (the event's object is the ballot), not how: whoever reads
    the compound's audit log must not read choices while the vote is open."""
    assembly = ballot.question.assembly
    after = {
        "question": ballot.question.position,
        "channel": ballot.channel,
        "status": ballot.status,
    }
    if assembly.named_ballots:
        after.update(voter=ballot.roll_entry.voter_key, receipt=ballot.receipt)
    audit.record(
        actor=actor,
        action=action,
        obj=ballot,
        before=before,
        after=after,
        place_path=assembly.compound.path,
    )


def _change(actor, existing: Ballot, choice: str, candidates: list, now: dt.datetime) -> Ballot:
    assembly = existing.question.assembly
    if not assembly.allow_vote_change:
        raise DuplicateBallot(
            _("您已就第 %(n)s 项议题投票；本小区议事规则规定投票后不能更改。")
            % {"n": existing.question.position}
        )
    if existing.channel == Channel.PAPER or existing.cast_by_id != getattr(actor, "pk", None):
        raise DuplicateBallot(
            _("%(voter)s已就该议题投票（非本人网上提交），不能更改。")
            % {"voter": existing.roll_entry.voter_label}
        )
    before = {"receipt": existing.receipt} if assembly.named_ballots else None
    existing.choice = choice
    existing.receipt = ledger.new_receipt()
    existing.changed_at = now
    existing.save(update_fields=["choice", "receipt", "changed_at"])
    existing.approvals.all().delete()
    BallotApproval.objects.bulk_create(
        BallotApproval(ballot=existing, candidate=c) for c in candidates
    )
    _audit_cast(actor, existing, "ballot.change", before=before)
    return existing


def _voter_entry(actor, assembly: Assembly, proxy: Proxy | None) -> tuple[RollEntry, str]:
    if proxy is not None:
        if proxy.assembly_id != assembly.pk or not permissions.holds_proxy(actor, proxy):
            raise PermissionDenied(_("您不是该委托的受托人。"))
        # As it stands now, not as the caller read it (a review may just have rejected it);
        # the row lock makes a review wait for this cast, and this cast for a review.
        proxy.status = (
            Proxy.objects.select_for_update().filter(pk=proxy.pk).values_list("status", flat=True)
        ).get()
        if not permissions.can_vote_as_proxy(actor, proxy):
            refuse(PROXY_NOT_ACCEPTED[proxy.status], "proxy")
        return proxy.principal, Channel.PROXY
    entry = permissions.roll_entry_of(actor, assembly)
    if entry is None:
        raise PermissionDenied(_("您不在本次表决的业主名册上，不能投票。"))
    return entry, Channel.ONLINE


@transaction.atomic
def ballots_cast(
    *,
    actor,
    assembly: Assembly,
    answers: Mapping[Question, Answer],
    proxy: Proxy | None = None,
    now: dt.datetime | None = None,
) -> list[Ballot]:
    """Cast the voter's (or, with ``proxy``, the principal's) ballots on several questions
    at once: all or nothing."""
    now = moment(now)
    if not permissions.can_view_assembly(actor, assembly) and proxy is None:
        raise PermissionDenied(_("您不能参加本小区的表决。"))
    entry, channel = _voter_entry(actor, assembly, proxy)
    _ensure_accepting(assembly, now)
    if not answers:
        refuse(_("请至少对一项议题作出选择。"))
    ballots = []
    for question, answer in sorted(answers.items(), key=lambda qa: qa[0].position):
        if question.assembly_id != assembly.pk:
            refuse(_("议题不属于本次会议。"))
        choice, candidates = _clean_answer(question, answer, paper=False)
        try:
            ballot = _store(
                question, entry, choice, candidates,
                channel=channel, status=BallotStatus.VALID, cast_by=actor, at=now, proxy=proxy,
            )  # fmt: skip
        except DuplicateBallot:
            if not assembly.allow_vote_change:
                raise DuplicateBallot(
                    _("%(voter)s已就第 %(n)s 项议题投票；本小区议事规则规定投票后不能更改。")
                    % {"voter": entry.voter_label, "n": question.position}
                ) from None
            existing = (
                Ballot.objects.select_for_update(of=("self",))
                .select_related("question__assembly__compound", "roll_entry")
                .get(question=question, roll_entry=entry)
            )
            ballots.append(_change(actor, existing, choice, candidates, now))
            continue
        ballot.question = question
        _audit_cast(actor, ballot, "ballot.cast")
        ballots.append(ballot)
    return ballots


def ballot_cast(
    *,
    actor,
    question: Question,
    choice: str | None = None,
    candidates: Sequence[int] | None = None,
    proxy: Proxy | None = None,
    now: dt.datetime | None = None,
) -> Ballot:
    """Cast one ballot on one question (a decision's ``choice`` or an election's ``candidates``)."""
    answer: Answer = list(candidates or []) if question.is_election else choice
    return ballots_cast(
        actor=actor, assembly=question.assembly, answers={question: answer}, proxy=proxy, now=now
    )[0]


# --------------------------------------------------------------------------- proxies


@transaction.atomic
def proxy_register(
    *,
    actor,
    assembly: Assembly,
    principal: RollEntry,
    holder: Person,
    authorisation: File,
    now: dt.datetime | None = None,
) -> Proxy:
    """Register a written authorisation for ``holder`` to vote for ``principal``.

    The compound's proxy limit (frozen on the assembly) caps how many owners one holder
    may represent.
    """
    now = moment(now)
    if actor is not None:
        # Seeing the compound, not the assembly: a proxy one holds shows one the assembly
        # (permissions.can_view_assembly), and must not be the way to register more.
        not_found_unless(permissions.can_view_assembly(actor, assembly))
        ensure(
            permissions.can_view_compound_votes(actor, assembly.compound),
            _("您不能参加本小区的表决。"),
        )
    ensure(
        actor is None or permissions.can_register_proxy(actor, assembly, holder.pk),
        _("只能登记本人受托的委托，或由负责表决的工作人员登记。"),
    )
    state = share_lock_state(assembly.pk)
    if state not in (S.ROLL_PUBLISHED, S.OPEN) or now >= assembly.closes_at:
        refuse(_("只能在名册公示后、投票截止前登记委托。"))
    if principal.assembly_id != assembly.pk:
        refuse(_("委托人不在本次表决的名册上。"), "principal")
    if principal.person_id == holder.pk:
        refuse(_("不能委托给本人。"), "holder")
    if principal.person_id is None and not principal.is_developer:
        refuse(_("该房屋尚未确定表决人，请先更正名册。"), "principal")
    # A holder named by staff is someone they reach (voting.manage wherever the holder is
    # registered); one registers their own authorisation themselves (core.refs).
    registered = people_permissions.registered_paths([holder.pk]).get(holder.pk, [])
    ensure_field(
        actor is None
        or getattr(actor, "person_id", None) == holder.pk
        or people_permissions.can_reach_person(
            actor, holder, VotingCap.MANAGE_VOTES, paths=registered
        ),
        "holder",
        people_permissions.PERSON_NOT_FOUND,
    )
    validate_scan(authorisation, "authorisation", _("授权委托书"))
    Person.objects.select_for_update().filter(pk=holder.pk).first()  # one registration at a time
    standing = Proxy.objects.filter(assembly=assembly).exclude(status=ProxyStatus.REJECTED)
    held = standing.filter(holder=holder).count()
    if held >= assembly.proxy_limit:
        refuse(
            _(
                "本小区议事规则规定每人最多受托代理 %(limit)s 位业主，%(holder)s 已代理 %(held)s 位。"
            )
            % {"limit": assembly.proxy_limit, "holder": holder.name, "held": held},
            "holder",
        )
    if standing.filter(principal=principal).exists():
        refuse(_("%(voter)s已有委托代理人。") % {"voter": principal.voter_label}, "principal")
    # Staff who register it have the signed paper in hand: checked by them. One the holder
    # uploads waits for a vote manager (proxy_review) before it may vote.
    checked = actor is None or (
        permissions.can_manage_assembly(actor, assembly)
        and getattr(actor, "person_id", None) != holder.pk
    )
    proxy = Proxy(
        assembly=assembly,
        principal=principal,
        holder=holder,
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        registered_at=now,
        status=ProxyStatus.ACCEPTED if checked else ProxyStatus.PENDING,
        reviewed_by=actor if checked and getattr(actor, "is_authenticated", False) else None,
        reviewed_at=now if checked else None,
    )
    proxy.authorisation.save(authorisation.name.rsplit("/", 1)[-1], authorisation, save=False)
    proxy.save()
    audit.record(
        actor=actor,
        action="ballot.proxy.register",
        obj=proxy,
        after={
            "principal": principal.voter_key,
            "holder": holder.pk,
            "file": proxy.authorisation.name,
            "status": proxy.status,
        },
        place_path=assembly.compound.path,
        # A holder of elsewhere: the auditors of their places see it too.
        also_at=[p for p in registered if not p.startswith(assembly.compound.path)],
    )
    if not checked:
        later("gongzhi.voting.notify.proxy_awaits_review", proxy.pk, name="voting.proxy_review")
    return proxy


PROXY_NOT_ACCEPTED = {
    ProxyStatus.PENDING: _("委托书尚待工作人员核验，核验通过后才能代为投票。"),
    ProxyStatus.REJECTED: _("该委托已被退回，不能代为投票。"),
}


@transaction.atomic
def proxy_review(
    *,
    actor,
    proxy: Proxy,
    accept: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Proxy:
    """核验: a vote manager (not the holder) checks a pending proxy's signed authorisation
    against the roll and accepts it (it may vote from now on) or rejects it with a reason
    (the owner may then authorise someone, or the same holder again, with a new paper).
    Only while proxies may be registered; a decided proxy is not decided again."""
    now = moment(now)
    ensure(
        actor is None or permissions.can_review_proxy(actor, proxy),
        _("委托须由负责表决的其他工作人员核验，受托人不能核验自己的委托。"),
    )
    proxy = Proxy.objects.select_for_update().select_related("assembly__compound").get(pk=proxy.pk)
    assembly = proxy.assembly
    if proxy.status != ProxyStatus.PENDING:
        refuse(
            _("该委托已于 %(at)s %(what)s。")
            % {"at": fmt_time(proxy.reviewed_at), "what": proxy.get_status_display()}
        )
    state = share_lock_state(assembly.pk)
    if state not in (S.ROLL_PUBLISHED, S.OPEN) or now >= assembly.closes_at:
        refuse(_("表决已结束，不能再核验委托。"))
    note = " ".join((note or "").split())
    if not accept and not note:
        refuse(_("请写明退回原因，以便业主重新委托。"), "note")
    if len(note) > Proxy._meta.get_field("review_note").max_length:
        refuse(_("退回原因不能超过 200 个字。"), "note")
    before = {"status": proxy.status}
    proxy.status = ProxyStatus.ACCEPTED if accept else ProxyStatus.REJECTED
    proxy.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    proxy.reviewed_at = now
    proxy.review_note = "" if accept else note
    proxy.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        actor=actor,
        action="ballot.proxy.accept" if accept else "ballot.proxy.reject",
        obj=proxy,
        before=before,
        after={"status": proxy.status, "note": proxy.review_note, "holder": proxy.holder_id},
        place_path=assembly.compound.path,
    )
    later("gongzhi.voting.notify.proxy_reviewed", proxy.pk, name="voting.proxy_reviewed")
    return proxy


# --------------------------------------------------------------------------- paper


@transaction.atomic
def paper_sheet_enter(
    *,
    actor,
    assembly: Assembly,
    entry: RollEntry,
    answers: Mapping[Question, Answer],
    scan: File,
    now: dt.datetime | None = None,
) -> PaperSheet:
    """Enter a signed paper ballot sheet with its scan. Its ballots do not count until a
    second staff member confirms the sheet (:func:`paper_sheet_confirm`)."""
    now = moment(now)
    ensure(
        actor is not None and permissions.can_enter_paper(actor, assembly),
        _("只有负责表决的工作人员可以录入纸质表决票。"),
    )
    _ensure_accepting(assembly, now, paper=True)
    if entry.assembly_id != assembly.pk:
        refuse(_("表决人不在本次表决的名册上。"), "entry")
    if entry.person_id is None and not entry.is_developer:
        refuse(_("该房屋尚未确定表决人，纸质票无法录入。"), "entry")
    if not answers:
        refuse(_("请至少录入一项议题的选择。"))
    validate_scan(scan, "scan", _("表决票扫描件"))
    cleaned = []
    for question, answer in sorted(answers.items(), key=lambda qa: qa[0].position):
        if question.assembly_id != assembly.pk:
            refuse(_("议题不属于本次会议。"))
        cleaned.append((question, *_clean_answer(question, answer, paper=True)))
    sheet = PaperSheet(assembly=assembly, roll_entry=entry, entered_by=actor, entered_at=now)
    sheet.scan.save(scan.name.rsplit("/", 1)[-1], scan, save=False)
    sheet.save()
    ballots = []
    for question, choice, candidates in cleaned:
        ballots.append(_store(
            question, entry, choice, candidates,
            channel=Channel.PAPER, status=BallotStatus.PENDING, cast_by=actor, at=now, sheet=sheet,
        ))  # fmt: skip
    audit.record(
        actor=actor,
        action="ballot.paper.enter",
        obj=sheet,
        after={
            "voter": entry.voter_key,
            "scan": sheet.scan.name,
            # As for a ballot cast online (_audit_cast): which questions, not the choices;
            # the staff who confirm the sheet read them on it.
            "ballots": [
                {
                    "question": b.question.position,
                    **({"receipt": b.receipt} if assembly.named_ballots else {}),
                }
                for b in ballots
            ],
        },
        place_path=assembly.compound.path,
    )
    return sheet


def _lock_sheet(sheet: PaperSheet) -> PaperSheet:
    sheet = (
        PaperSheet.objects.select_for_update(of=("self",))
        .select_related("assembly__compound", "roll_entry")
        .get(pk=sheet.pk)
    )
    if sheet.status != SheetStatus.PENDING:
        if sheet.status == SheetStatus.CONFIRMED:
            refuse(_("该纸质表决票已复核。"))
        refuse(_("该纸质表决票已退回。"))

    return sheet


@transaction.atomic
def paper_sheet_confirm(*, actor, sheet: PaperSheet, now: dt.datetime | None = None) -> PaperSheet:
    """A second staff member confirms a paper sheet; from now its ballots count."""
    now = moment(now)
    ensure(
        actor is not None and permissions.can_enter_paper(actor, sheet.assembly),
        _("只有负责表决的工作人员可以复核纸质表决票。"),
    )
    sheet = _lock_sheet(sheet)  # who entered it, as it stands now
    ensure(
        permissions.can_confirm_paper(actor, sheet),
        _("录入人不能复核自己录入的表决票，须由另一名工作人员复核。"),
    )
    _ensure_accepting(sheet.assembly, now, paper=True)
    sheet.status = SheetStatus.CONFIRMED
    sheet.confirmed_by = actor
    sheet.confirmed_at = now
    sheet.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    counted = sheet.ballots.update(status=BallotStatus.VALID)
    audit.record(
        actor=actor,
        action="ballot.paper.confirm",
        obj=sheet,
        before={"status": SheetStatus.PENDING},
        after={"status": sheet.status, "ballots": counted},
        place_path=sheet.assembly.compound.path,
    )
    return sheet


@transaction.atomic
def paper_sheet_reject(
    *, actor, sheet: PaperSheet, reason: str, now: dt.datetime | None = None
) -> PaperSheet:
    """Send a pending sheet back (wrong voter, unreadable scan, …): its ballots are
    removed, so the voter's ballot can be entered again. The sheet stays, with the reason."""
    ensure(
        actor is not None and permissions.can_enter_paper(actor, sheet.assembly),
        _("只有负责表决的工作人员可以退回纸质表决票。"),
    )
    reason = (reason or "").strip()
    if not reason:
        refuse(_("请填写退回原因。"), "reason")
    sheet = _lock_sheet(sheet)
    state = share_lock_state(sheet.assembly_id)
    if state != S.OPEN:
        refuse(_("表决已结束，不能再退回纸质表决票。"))

    removed = [(b.question.position, b.receipt) for b in sheet.ballots.select_related("question")]
    sheet.ballots.all().delete()
    sheet.status = SheetStatus.REJECTED
    sheet.reject_reason = reason[:200]
    sheet.save(update_fields=["status", "reject_reason"])
    audit.record(
        actor=actor,
        action="ballot.paper.reject",
        obj=sheet,
        before={"status": SheetStatus.PENDING, "ballots": removed},
        after={"status": sheet.status, "reason": reason},
        place_path=sheet.assembly.compound.path,
    )
    return sheet
