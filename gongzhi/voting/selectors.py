"""Reads for views, the API and the services: the tally, the meter and the ballot list.

Every sum is done by the database (aggregate queries over ballots joined to the roll);
the results go through :mod:`gongzhi.voting.rules`, the one implementation of the law.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from fractions import Fraction
from math import ceil

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.places.permissions import compounds_visible_to
from gongzhi.voting import ledger, rules
from gongzhi.voting.capabilities import VotingCap
from gongzhi.voting.models import (
    Assembly,
    Ballot,
    BallotApproval,
    BallotStatus,
    Candidate,
    Election,
    PaperSheet,
    Question,
    RollEntry,
    SheetStatus,
)

CENT = Decimal("0.01")
VALID = BallotStatus.VALID
Result = rules.DecisionResult | rules.ElectionResult


def _totals(area, heads) -> rules.Totals:
    return rules.Totals(Decimal(area or 0).quantize(CENT), int(heads or 0))


def roll_totals(assembly: Assembly, using: str | None = None) -> rules.Totals:
    agg = (
        RollEntry.objects.using(using)
        .filter(assembly_id=assembly.pk)
        .aggregate(area=Sum("area"), heads=Sum("heads"))
    )
    return _totals(agg["area"], agg["heads"])


def _questions(assembly: Assembly, using: str | None) -> list[Question]:
    questions = list(
        Question.objects.using(using).filter(assembly_id=assembly.pk).order_by("position")
    )
    elections = [q for q in questions if q.is_election]
    if elections:
        prefetch_related_objects(elections, "candidates")
    return questions


def tally(assembly: Assembly, using: str | None = None) -> dict[int, Result]:
    """Count every question of the assembly: question id → rules result.

    A fixed number of queries whatever the number of ballots: the questions, the roll's
    totals, the counted ballots' area and heads by question and choice, and (only when
    there are elections) the candidates and each candidate's approvals. Unconfirmed
    paper ballots are not counted.
    """
    questions = _questions(assembly, using)
    total = roll_totals(assembly, using)
    by_choice: dict[int, dict[str, rules.Totals]] = defaultdict(dict)
    ids = [q.pk for q in questions]
    rows = (
        Ballot.objects.using(using)
        .filter(question_id__in=ids, status=VALID)
        .values("question_id", "choice")
        .annotate(area=Sum("roll_entry__area"), heads=Sum("roll_entry__heads"))
        .order_by()
    )
    for row in rows:
        by_choice[row["question_id"]][row["choice"]] = _totals(row["area"], row["heads"])
    approvals: dict[int, dict[int, rules.Totals]] = defaultdict(dict)
    if any(q.is_election for q in questions):
        rows = (
            BallotApproval.objects.using(using)
            .filter(ballot__question_id__in=[q.pk for q in questions if q.is_election])
            .filter(ballot__status=VALID)
            .values("ballot__question_id", "candidate_id")
            .annotate(area=Sum("ballot__roll_entry__area"), heads=Sum("ballot__roll_entry__heads"))
            .order_by()
        )
        for row in rows:
            approvals[row["ballot__question_id"]][row["candidate_id"]] = _totals(
                row["area"], row["heads"]
            )
    results: dict[int, Result] = {}
    for question in questions:
        counts = by_choice[question.pk]
        participating = sum(counts.values(), rules.ZERO)
        if question.is_election:
            candidates = sorted(question.candidates.all(), key=lambda c: (c.number or 0, c.pk))
            results[question.pk] = rules.elect(
                total,
                participating,
                {str(c.pk): approvals[question.pk].get(c.pk, rules.ZERO) for c in candidates},
                question.seats,
            )
        else:
            results[question.pk] = rules.decide(
                question.matter,
                total,
                participating,
                counts.get(rules.Choice.AGREE, rules.ZERO),
                oppose=counts.get(rules.Choice.OPPOSE, rules.ZERO),
                abstain=counts.get(rules.Choice.ABSTAIN, rules.ZERO),
                spoilt=counts.get(rules.Choice.SPOILT, rules.ZERO),
            )
    return results


# --------------------------------------------------------------------------- meter


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """A share for display only (rounded down to 0.01 %); decisions never use it."""
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_DOWN)


@dataclass(frozen=True)
class Share:
    total: rules.Totals
    part: rules.Totals
    area_pct: Decimal
    heads_pct: Decimal
    quorum_met: bool
    area_needed: Decimal
    heads_needed: int

    @classmethod
    def of(cls, part: rules.Totals, total: rules.Totals) -> Share:
        need_area = Fraction(2 * total.area) / 3 - Fraction(part.area)
        area_needed = max(Decimal(0), (Decimal(need_area.numerator) / need_area.denominator))
        return cls(
            total=total,
            part=part,
            area_pct=percent(part.area, total.area),
            heads_pct=percent(part.heads, total.heads),
            quorum_met=rules.quorum_met(total, part),
            area_needed=area_needed.quantize(CENT, rounding=ROUND_UP),
            heads_needed=max(0, ceil(Fraction(2 * total.heads, 3)) - part.heads),
        )


@dataclass(frozen=True)
class Participation:
    """The participation meter: area and heads that took part, against 2/3."""

    overall: Share
    questions: list[tuple[Question, Share]] = field(default_factory=list)
    pending_sheets: int = 0


def participation(assembly: Assembly) -> Participation:
    total = roll_totals(assembly)
    voted = Ballot.objects.filter(roll_entry=OuterRef("pk"), status=VALID)
    agg = (
        RollEntry.objects.filter(assembly=assembly)
        .filter(Exists(voted))
        .aggregate(area=Sum("area"), heads=Sum("heads"))
    )
    per_question = {
        row["question_id"]: _totals(row["area"], row["heads"])
        for row in Ballot.objects.filter(question__assembly=assembly, status=VALID)
        .values("question_id")
        .annotate(area=Sum("roll_entry__area"), heads=Sum("roll_entry__heads"))
        .order_by()
    }
    questions = list(assembly.questions.order_by("position"))
    return Participation(
        overall=Share.of(_totals(agg["area"], agg["heads"]), total),
        questions=[(q, Share.of(per_question.get(q.pk, rules.ZERO), total)) for q in questions],
        pending_sheets=PaperSheet.objects.filter(
            assembly=assembly, status=SheetStatus.PENDING
        ).count(),
    )


# --------------------------------------------------------------------------- ballot list


def ledger_lines(assembly: Assembly, using: str | None = None) -> list[ledger.Line]:
    """The counted ballots as published lines (receipt, question number, choice)."""
    numbers: dict[int, list[int]] = defaultdict(list)
    for ballot_id, number in (
        BallotApproval.objects.using(using)
        .filter(ballot__question__assembly_id=assembly.pk, ballot__status=VALID)
        .values_list("ballot_id", "candidate__number")
    ):
        numbers[ballot_id].append(number)
    lines = []
    for ballot_id, receipt, position, choice, seats in (
        Ballot.objects.using(using)
        .filter(question__assembly_id=assembly.pk, status=VALID)
        .values_list("id", "receipt", "question__position", "choice", "question__seats")
    ):
        if seats is not None and choice != rules.Choice.SPOILT:
            choice = ledger.approval_choice(numbers.get(ballot_id, ()))
        lines.append(ledger.Line(receipt, position, choice))
    return lines


@dataclass(frozen=True)
class LedgerCheck:
    stored: str
    recomputed: str
    count: int

    @property
    def matches(self) -> bool:
        return bool(self.stored) and self.stored == self.recomputed


def check_ledger(assembly: Assembly) -> LedgerCheck:
    """Recompute the ballot list's hash from today's ballots and compare with the one
    published at closing. A mismatch means a ballot was changed after the count."""
    lines = ledger_lines(assembly)
    return LedgerCheck(assembly.ballots_hash, ledger.ledger_hash(lines), len(lines))


@dataclass(frozen=True)
class ReceiptMatch:
    receipt: str
    question: Question
    choice: str
    choice_label: str


def find_receipt(assembly: Assembly, code: str) -> ReceiptMatch | None:
    """The published line for one receipt, with the question's title; nothing else."""
    ballot = (
        Ballot.objects.filter(question__assembly=assembly, status=VALID, receipt=code)
        .select_related("question")
        .first()
    )
    if ballot is None:
        return None
    question = ballot.question
    if question.is_election and ballot.choice != rules.Choice.SPOILT:
        chosen = list(
            ballot.approvals.select_related("candidate__person").order_by("candidate__number")
        )
        choice = ledger.approval_choice(a.candidate.number for a in chosen)
        label = pgettext("list separator", "、").join(str(a.candidate) for a in chosen) or _(
            "未选任何候选人"
        )

    else:
        choice = ballot.choice
        label = rules.CHOICE_LABELS[rules.Choice(choice)]
    return ReceiptMatch(ballot.receipt, question, choice, label)


# --------------------------------------------------------------------------- lists


def assemblies_of(compound) -> QuerySet[Assembly]:
    return Assembly.objects.filter(compound=compound).order_by("-opens_at", "-id")


def assemblies_visible_to(user) -> QuerySet[Assembly]:
    return Assembly.objects.filter(compound__in=compounds_visible_to(user)).select_related(
        "compound"
    )


def roll_of(assembly: Assembly, *, search: str = "") -> QuerySet[RollEntry]:
    qs = RollEntry.objects.filter(assembly=assembly).select_related("person")
    if search:
        qs = qs.filter(Q(person__name__contains=search) | Q(rooms_label__contains=search))
    return qs.order_by("is_developer", "rooms_label", "id")


def ballots_of(entry: RollEntry) -> QuerySet[Ballot]:
    """One voter's ballots (their own receipts)."""
    return (
        Ballot.objects.filter(roll_entry=entry)
        .select_related("question")
        .prefetch_related("approvals__candidate__person")
        .order_by("question__position")
    )


def elections_of(compound) -> QuerySet[Election]:
    return Election.objects.filter(compound=compound).order_by("-created_at", "-id")


def candidates_of(election: Election) -> QuerySet[Candidate]:
    return (
        Candidate.objects.filter(election=election)
        .select_related("person", "recommended_by")
        .prefetch_related("nominators")
        .order_by("number", "nominated_at", "id")
    )


def result_rows(question: Question) -> list[dict]:
    """Candidates of an election question with their approvals, in rank order (for pages)."""
    result = question.result or {}
    labels = result.get("labels", {})
    elected = result.get("elected", [])
    runoff = result.get("runoff", [])
    rows = []
    for key, votes in result.get("candidates", {}).items():
        rows.append(
            {
                "id": key,
                "label": labels.get(key, key),
                "area": votes["area"],
                "heads": votes["heads"],
                "elected": key in elected,
                "runoff": key in runoff,
                "qualified": key in result.get("qualified", []),
            }
        )
    rows.sort(key=lambda r: (-r["heads"], -Decimal(r["area"])))
    return rows


def people_who_may_stand(compound, committee_kind: str = "owners_committee"):
    """Current owners of the compound (for a 自管会 also its residents), by name."""
    from gongzhi.people.models import Person

    q = Q(ownerships__room__compound=compound, ownerships__until__isnull=True)
    if committee_kind == "self_management_committee":
        q |= Q(
            residencies__household__room__compound=compound,
            residencies__until__isnull=True,
            residencies__household__moved_out__isnull=True,
        )
    return Person.objects.filter(pk__in=Person.objects.filter(q).values("pk")).order_by(
        "name", "pk"
    )


def where_people_live(
    compound, person_ids=None, *, committee_kind: str = "owners_committee", full_rooms: bool = False
) -> dict[int, str]:
    """Where each person of the compound owns (for a 自管会 also lives), to tell two people
    of the same name apart on the nomination form: "6号楼 12**", the room masked unless
    ``full_rooms`` (the election's managers). Two queries whatever the number of people."""
    from gongzhi.people.models import Ownership, Residency

    owned = Ownership.objects.filter(room__compound=compound, until__isnull=True)
    lived = Residency.objects.filter(
        household__room__compound=compound,
        until__isnull=True,
        household__moved_out__isnull=True,
    )
    if person_ids is not None:
        owned, lived = (
            owned.filter(person_id__in=person_ids),
            lived.filter(person_id__in=person_ids),
        )
    rows = list(
        owned.order_by("room__building__name", "room__name").values_list(
            "person_id", "room__building__name", "room__name"
        )
    )
    if committee_kind == "self_management_committee":
        rows += lived.order_by("household__room__building__name").values_list(
            "person_id", "household__room__building__name", "household__room__name"
        )
    rooms: dict[int, list[str]] = {}
    for person_id, building, room in rows:
        label = rules.room_label(building, room, masked=not full_rooms)
        if label not in rooms.setdefault(person_id, []):
            rooms[person_id].append(label)
    return {pk: rules.rooms_text(labels) for pk, labels in rooms.items()}


def pending_sheets(assembly: Assembly) -> QuerySet[PaperSheet]:
    return (
        PaperSheet.objects.filter(assembly=assembly)
        .select_related("roll_entry__person", "entered_by__person", "confirmed_by__person")
        .prefetch_related("ballots__question")
        .order_by("status", "-entered_at")
    )


def proxies_of(assembly: Assembly, *, holder=None):
    from gongzhi.voting.models import Proxy

    qs = Proxy.objects.filter(assembly=assembly).select_related("principal__person", "holder")
    if holder is not None:
        qs = qs.filter(holder=holder)
    return qs.order_by("registered_at")


def entry_for_room(assembly: Assembly, room_id: int) -> RollEntry | None:
    """The roll entry standing for a room (one query; JSON containment is not portable)."""
    for pk, room_ids in RollEntry.objects.filter(assembly=assembly).values_list("id", "room_ids"):
        if room_id in room_ids:
            return RollEntry.objects.select_related("person").get(pk=pk)
    return None


def street_office_of(compound):
    """The street office (街道办事处) whose area holds the compound, if recorded."""
    from gongzhi.bodies.models import Body, BodyKind
    from gongzhi.places.selectors import ancestors_of

    return (
        Body.objects.current()
        .filter(kind=BodyKind.STREET_OFFICE, place_path__in=ancestors_of(compound.path))
        .order_by("-place_path", "pk")
        .first()
    )


def vote_managers_of(compound):
    """Accounts holding VotingCap.MANAGE_VOTES at the compound (core.access.holders; superusers
    are not included)."""
    from gongzhi.core.access import holders

    return holders(VotingCap.MANAGE_VOTES, compound.path)
