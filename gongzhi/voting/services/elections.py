"""Committee elections in order: nomination → eligibility → slate (公示) → ballot → count →
filing. The same steps choose an owners' committee (业委会换届) and the 自管会 of a 三无小区
(story 003: 自主推荐、群众推荐、民主选举); the nomination kinds depend on the committee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.bodies.models import Body, BodyKind, PartyMember
from gongzhi.core.access import ensure
from gongzhi.core.refs import ensure_field
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.people.models import Person
from gongzhi.people.permissions import PERSON_NOT_FOUND, can_reach_person, registered_paths
from gongzhi.places.models import Compound
from gongzhi.voting import permissions, rules
from gongzhi.voting.capabilities import VotingCap
from gongzhi.voting.models import Assembly, Candidate, CandidateStatus, Election
from gongzhi.voting.services._common import (
    fmt_time,
    lock_election,
    moment,
    move_election,
    not_found_unless,
    refuse,
    rule_checked,
)

E = rules.ElectionState
N = rules.NominationKind
MANAGE_MESSAGE = gettext_lazy("只有社区工作人员或业委会主任可以组织换届选举。")
CANDIDATE_FIELDS = ["status", "ineligible_reason", "is_party_member", "number"]


def _lock(election: Election) -> Election:
    return lock_election(election)


def _manager(actor, election: Election) -> None:
    ensure(actor is None or permissions.can_manage_election(actor, election), MANAGE_MESSAGE)


def is_owner(person_id: int, compound: Compound) -> bool:
    return Person.objects.filter(
        pk=person_id,
        ownerships__room__compound=compound,
        ownerships__until__isnull=True,
    ).exists()


def _may_stand(person_ids: Iterable[int], election: Election) -> set[int]:
    """Of ``person_ids``, those who are owners of the compound — or, for a 自管会, owners
    or residents (a 三无小区 chooses among the people who live there)."""
    q = Q(ownerships__room__compound=election.compound, ownerships__until__isnull=True)
    if election.committee_kind == "self_management_committee":
        q |= Q(
            residencies__household__room__compound=election.compound,
            residencies__until__isnull=True,
            residencies__household__moved_out__isnull=True,
        )
    return set(Person.objects.filter(q, pk__in=list(person_ids)).values_list("pk", flat=True))


def _within_reach(actor, election: Election, person_ids: set[int]) -> bool:
    """Is each of ``person_ids`` registered in the election's compound, or reached by
    ``actor`` (voting.manage wherever they are registered)? Anyone else is refused as a
    missing person is, and not named."""
    where = registered_paths(person_ids)
    path = election.compound.path
    return all(
        any(p.startswith(path) for p in where.get(i, ()))
        or actor is None
        or can_reach_person(actor, Person(pk=i), VotingCap.MANAGE_VOTES, paths=where.get(i, []))
        for i in person_ids
    )


def _owners_only(election: Election) -> bool:
    """Only owners may stand and nominate (an owners' committee); else residents too."""
    return election.committee_kind == "owners_committee"


def seats_to_fill(election: Election) -> int:
    elected = election.candidates.filter(status=CandidateStatus.ELECTED).count()
    return rules.seats_left(election.seats, elected)


@transaction.atomic
def election_create(
    *, actor, compound: Compound, title: str, committee_kind: str, seats: int, term_years: int
) -> Election:
    ensure(actor is None or permissions.can_manage_votes(actor, compound), MANAGE_MESSAGE)
    rule_checked(rules.nomination_kinds_for, committee_kind, field="committee_kind")
    rule_checked(rules.validate_committee_size, seats, field="seats")
    rule_checked(rules.validate_term_years, term_years, field="term_years")
    title = (title or "").strip()
    if not title:
        refuse(_("请填写选举名称。"), "title")
    election = Election.objects.create(
        compound=compound,
        committee_kind=committee_kind,
        title=title[:200],
        seats=seats,
        term_years=term_years,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="election.create",
        obj=election,
        after=snapshot(election, ["compound", "committee_kind", "title", "seats", "term_years"]),
        place_path=compound.path,
    )
    return election


@transaction.atomic
def candidate_nominate(
    *,
    actor,
    election: Election,
    person: Person,
    kind: str,
    nominators: Iterable[Person] = (),
    statement: str = "",
    now: dt.datetime | None = None,
) -> Candidate:
    """Nominate ``person`` by one of the ways the committee kind allows.

    * self (自荐/自主推荐): the person themselves, or staff entering their signed form;
    * joint (业主联名推荐) and residents (群众推荐): at least the policy's number of
      owners (or residents, for a 自管会), recorded; submitted by one of them or by staff;
    * party_branch (党组织推荐): the compound party branch's secretary or deputy.
    """
    from gongzhi.voting.services.assemblies import policy_for

    now = moment(now)
    if actor is not None:
        not_found_unless(permissions.can_view_election(actor, election))
    election = _lock(election)
    nomination = rule_checked(rules.parse_nomination, election.committee_kind, kind, field="kind")
    if election.state != E.NOMINATING:
        refuse(
            _("选举当前为“%(state)s”，不接受提名。")
            % {"state": rules.ELECTION_STATE_LABELS[E(election.state)]}
        )
    nominator_ids = {p.pk for p in nominators}
    recommended_by = None
    if nomination is N.SELF:
        ensure(
            actor is None or permissions.can_nominate_self(actor, election, person.pk),
            _("只能自荐本人；代他人登记自荐表须由负责选举的工作人员办理。"),
        )
    elif nomination in (N.JOINT, N.RESIDENTS):
        ensure(
            actor is None or permissions.can_nominate_jointly(actor, election, nominator_ids),
            _("联名推荐须由推荐人之一提交，或由负责选举的工作人员登记。"),
        )
        minimum = policy_for(election.compound).joint_nomination_min
        nominator_ids.discard(person.pk)
        if len(nominator_ids) < minimum:
            refuse(
                _("联名推荐须至少 %(minimum)s 人（不含被推荐人），现有 %(count)s 人。")
                % {"minimum": minimum, "count": len(nominator_ids)},
                "nominators",
            )
        outsiders = nominator_ids - _may_stand(nominator_ids, election)
        # Nominators of elsewhere are not named back: refused as missing ones.
        ensure_field(_within_reach(actor, election, outsiders), "nominators", PERSON_NOT_FOUND)
        if outsiders:
            names = pgettext("list separator", "、").join(
                Person.objects.filter(pk__in=outsiders).values_list("name", flat=True)
            )
            if _owners_only(election):
                message = _("推荐人须为本小区业主：%(names)s 不是。")
            else:
                message = _("推荐人须为本小区业主或居民：%(names)s 不是。")
            refuse(message % {"names": names}, "nominators")
    elif nomination is N.PARTY_BRANCH:
        ensure(
            actor is None or permissions.is_branch_lead(actor, election.compound),
            _("党组织推荐须由小区党支部书记或副书记提交。"),
        )
        recommended_by = (
            Body.objects.current()
            .filter(kind=BodyKind.COMPOUND_PARTY_BRANCH, compound=election.compound)
            .first()
        )
        if recommended_by is None:
            refuse(_("本小区尚未成立党支部，不能以党组织名义推荐。"))
    # After the permission checks: a nominee of elsewhere out of the actor's reach is
    # refused as a missing one is (core.refs); eligibility is checked later.
    ensure_field(
        person.pk == getattr(actor, "person_id", None)
        or _within_reach(actor, election, {person.pk}),
        "person",
        PERSON_NOT_FOUND,
    )
    if Candidate.objects.filter(election=election, person=person).exists():
        refuse(_("%(name)s 已被提名。") % {"name": person.name}, "person")
    candidate = Candidate.objects.create(
        election=election,
        person=person,
        nomination=nomination.value,
        recommended_by=recommended_by,
        statement=statement,
        nominated_by=actor if getattr(actor, "is_authenticated", False) else None,
        nominated_at=now,
    )
    if nominator_ids and nomination in (N.JOINT, N.RESIDENTS):
        candidate.nominators.set(nominator_ids)
    audit.record(
        actor=actor,
        action="election.nominate",
        obj=candidate,
        after={
            "person": person.pk,
            "nomination": nomination.value,
            "nominators": sorted(nominator_ids) if nomination in (N.JOINT, N.RESIDENTS) else [],
            "recommended_by": recommended_by.pk if recommended_by else None,
        },
        place_path=election.compound.path,
    )
    return candidate


@transaction.atomic
def candidate_check(
    *, actor, candidate: Candidate, eligible: bool, reason: str = "", now: dt.datetime | None = None
) -> Candidate:
    """资格审查: eligible only if an owner (自管会: owner or resident) of the compound and not
    disqualified; a disqualification records its reason. Also used while the slate is
    published, when an objection is upheld."""
    election = candidate.election
    ensure(actor is None or permissions.can_check_candidate(actor, candidate), MANAGE_MESSAGE)
    now = moment(now)
    election = _lock(election)
    if election.state not in (E.NOMINATING, E.SLATE_PUBLISHED):
        refuse(_("投票开始后不能再审查候选人资格。"))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == CandidateStatus.ELECTED:
        refuse(_("已当选的委员不能再审查。"))
    before = snapshot(candidate, CANDIDATE_FIELDS)
    reason = (reason or "").strip()
    if eligible:
        if election.state == E.SLATE_PUBLISHED:
            refuse(_("候选人公示期间只能受理异议、取消资格；增补候选人请退回提名阶段。"))
        if candidate.person_id not in _may_stand([candidate.person_id], election):
            if _owners_only(election):
                message = _("%(name)s 不是本小区业主，不具备候选人资格。")
            else:
                message = _("%(name)s 不是本小区业主或居民，不具备候选人资格。")
            refuse(message % {"name": candidate.person.name})
        candidate.status = CandidateStatus.ELIGIBLE
        candidate.ineligible_reason = ""
    else:
        if not reason:
            refuse(_("请填写资格不合格的原因。"), "reason")
        candidate.status = CandidateStatus.INELIGIBLE
        candidate.ineligible_reason = reason[:200]
        candidate.number = None if election.state == E.NOMINATING else candidate.number
    candidate.is_party_member = PartyMember.objects.filter(person_id=candidate.person_id).exists()
    candidate.checked_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.checked_at = now
    candidate.save()
    audit.record(
        actor=actor,
        action="election.check",
        obj=candidate,
        before=before,
        after={**snapshot(candidate, CANDIDATE_FIELDS), "reason": reason},
        place_path=election.compound.path,
    )
    return candidate


@transaction.atomic
def election_publish_slate(
    *, actor, election: Election, objection_days: int | None = None, now: dt.datetime | None = None
) -> Election:
    """Number the eligible candidates and publish the slate for objections (候选人公示)."""
    from gongzhi.voting.services.assemblies import policy_for

    _manager(actor, election)
    now = moment(now)
    election = _lock(election)
    move_election(election, E.SLATE_PUBLISHED)
    unchecked = election.candidates.filter(status=CandidateStatus.NOMINATED).count()
    if unchecked:
        refuse(_("尚有 %(n)s 名被提名人未经资格审查。") % {"n": unchecked})
    slate = list(
        election.candidates.filter(status=CandidateStatus.ELIGIBLE)
        .select_related("person")
        .order_by("nominated_at", "id")
    )
    needed = seats_to_fill(election)
    if len(slate) < needed:
        refuse(
            _("合格候选人 %(eligible)s 名，少于应选人数 %(seats)s 名，请继续提名。")
            % {"eligible": len(slate), "seats": needed}
        )
    days = (
        objection_days
        if objection_days is not None
        else policy_for(election.compound).objection_days
    )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        refuse(_("候选人公示天数应为 1 至 60 天。"), "objection_days")
    election.candidates.exclude(status=CandidateStatus.ELECTED).update(number=None)
    for number, candidate in enumerate(slate, start=1):
        candidate.number = number
        candidate.save(update_fields=["number"])
    election.state = E.SLATE_PUBLISHED
    election.slate_published_at = now
    election.objections_until = now + dt.timedelta(days=days)
    election.save(update_fields=["state", "slate_published_at", "objections_until"])
    audit.record(
        actor=actor,
        action="election.publish_slate",
        obj=election,
        after={"state": election.state, "slate": [c.pk for c in slate], "seats": needed},
        place_path=election.compound.path,
    )
    lines = [
        (
            _("%(number)s号 %(name)s（%(nomination)s，党员）")
            if c.is_party_member
            else _("%(number)s号 %(name)s（%(nomination)s）")
        )
        % {"number": c.number, "name": c.person.name, "nomination": c.nomination_label}
        for c in slate
    ]
    notice_publish(
        actor=actor,
        compound=election.compound,
        title=_("%(title)s：候选人名单公示") % {"title": election.title},
        body=_(
            "经提名和资格审查，%(committee)s候选人 %(count)s 名，应选 %(seats)s 名：\n"
            "%(candidates)s\n"
            "公示期至 %(until)s。对候选人资格有异议的，请在公示期内向社区或选举工作组提出。"
        )
        % {
            "committee": election.committee_label,
            "count": len(slate),
            "seats": needed,
            "candidates": "\n".join(lines),
            "until": fmt_time(election.objections_until),
        },
        kind=NoticeKind.SLATE,
        related=election,
    )
    return election


@transaction.atomic
def election_start_ballot(
    *, actor, election: Election, assembly: Assembly, now: dt.datetime | None = None
) -> Election:
    """After the slate's objection period, put the election on a draft assembly's agenda:
    a multi-seat question (choose at most the seats left) with the slate as candidates."""
    from gongzhi.voting.services.assemblies import question_add

    _manager(actor, election)
    now = moment(now)
    election = _lock(election)
    move_election(election, E.BALLOTING)
    if election.objections_until and now < election.objections_until:
        refuse(
            _("候选人公示期至 %(until)s 结束，期满后才能投票。")
            % {"until": fmt_time(election.objections_until)}
        )
    if assembly.compound_id != election.compound_id:
        refuse(_("只能在本小区的业主大会会议上选举。"), "assembly")
    slate = list(
        election.candidates.filter(status=CandidateStatus.ELIGIBLE, number__isnull=False).order_by(
            "number"
        )
    )
    seats = seats_to_fill(election)
    if len(slate) < seats:
        refuse(
            _("合格候选人 %(eligible)s 名，少于应选人数 %(seats)s 名。")
            % {"eligible": len(slate), "seats": seats}
        )
    _add_question(actor, election, assembly, slate, seats, question_add)
    election.state = E.BALLOTING
    election.save(update_fields=["state"])
    audit.record(
        actor=actor,
        action="election.start_ballot",
        obj=election,
        after={
            "state": election.state,
            "assembly": assembly.pk,
            "seats": seats,
            "round": election.round,
        },
        place_path=election.compound.path,
    )
    return election


def _add_question(actor, election, assembly, candidates, seats, question_add, runoff=False):
    if runoff:
        title = _("决选%(committee)s委员（应选 %(seats)s 名，每票最多选 %(seats)s 名）")
    else:
        title = _("选举%(committee)s委员（应选 %(seats)s 名，每票最多选 %(seats)s 名）")
    return question_add(
        actor=actor,
        assembly=assembly,
        title=title % {"committee": election.committee_label, "seats": seats},
        matter=rules.Matter.ELECT_COMMITTEE,
        description=_("%(title)s，第 %(round)s 轮。")
        % {"title": election.title, "round": election.round},
        seats=seats,
        election=election,
        candidates=candidates,
    )


def apply_election_result(
    *, actor, question, result: rules.ElectionResult, now: dt.datetime
) -> None:
    """Called when an assembly closes: mark those elected; a tie for the last seats gets a
    runoff question on a new draft assembly; seats left otherwise go to a new round."""
    from gongzhi.voting.services.assemblies import assembly_create, question_add

    election = _lock(question.election)
    elected_ids = [int(pk) for pk in result.elected]
    Candidate.objects.filter(pk__in=elected_ids).update(
        status=CandidateStatus.ELECTED, elected_round=election.round
    )
    left = seats_to_fill(election)
    runoff_assembly = None
    if left == 0:
        move_election(election, E.COUNTED)
        election.state = E.COUNTED
        election.counted_at = now
    elif result.runoff:
        election.round += 1
        source = question.assembly
        span = source.closes_at - source.opens_at
        runoff_assembly = assembly_create(
            actor=actor,
            compound=election.compound,
            title=_("%(title)s（第 %(round)s 轮决选）")
            % {"title": election.title, "round": election.round},
            opens_at=now + dt.timedelta(days=14),
            closes_at=now + dt.timedelta(days=14) + span,
            description=_(
                "上一轮得票完全相同的候选人超过剩余席位，另行决选。请确认投票时间后公示名册。"
            ),
        )
        runoff = list(
            Candidate.objects.filter(pk__in=[int(pk) for pk in result.runoff]).order_by("number")
        )
        _add_question(actor, election, runoff_assembly, runoff, left, question_add, runoff=True)
    else:
        move_election(election, E.NOMINATING)
        election.state = E.NOMINATING
        election.round += 1
    election.save(update_fields=["state", "counted_at", "round"])
    audit.record(
        actor=actor,
        action="election.count",
        obj=election,
        after={
            "round": election.round,
            "elected": elected_ids,
            "runoff": list(result.runoff),
            "seats_left": left,
            "state": election.state,
            "runoff_assembly": runoff_assembly.pk if runoff_assembly else None,
        },
        place_path=election.compound.path,
    )


@transaction.atomic
def election_file(
    *,
    actor,
    election: Election,
    reference: str,
    filed_with: Body | None = None,
    filed_at: dt.datetime | None = None,
) -> Election:
    """Record the filing (备案) of the result with the street office."""
    _manager(actor, election)
    election = _lock(election)
    move_election(election, E.FILED)
    reference = (reference or "").strip()
    if not reference:
        refuse(_("请填写备案文号或回执编号。"), "reference")
    if filed_with is not None and (
        filed_with.kind != BodyKind.STREET_OFFICE
        or not election.compound.path.startswith(filed_with.place_path)
    ):
        refuse(_("备案机关须为本小区所在街道的街道办事处。"), "filed_with")

    election.state = E.FILED
    election.filed_at = moment(filed_at)
    election.filed_with = filed_with
    election.filing_reference = reference[:100]
    election.save(update_fields=["state", "filed_at", "filed_with", "filing_reference"])
    audit.record(
        actor=actor,
        action="election.file",
        obj=election,
        before={"state": E.COUNTED},
        after=snapshot(election, ["state", "filed_at", "filed_with", "filing_reference"]),
        place_path=election.compound.path,
    )
    return election
