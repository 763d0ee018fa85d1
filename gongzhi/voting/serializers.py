"""Explicit API serializers: what goes out, and what a ballot request may contain."""

from __future__ import annotations

from rest_framework import serializers

from gongzhi.core import api_fields
from gongzhi.voting import rules
from gongzhi.voting.models import Assembly, Ballot, Question


class CandidateOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(source="person.name")


class QuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    matter = serializers.CharField()
    matter_label = serializers.CharField()
    threshold = serializers.CharField(source="threshold_description")
    seats = serializers.IntegerField(allow_null=True)
    candidates = serializers.SerializerMethodField()

    def get_candidates(self, question: Question) -> list[dict]:
        if not question.is_election:
            return []
        return CandidateOut(
            sorted(question.candidates.all(), key=lambda c: c.number or 0), many=True
        ).data


class AssemblyOut(serializers.Serializer):
    id = serializers.IntegerField()
    compound = serializers.IntegerField(source="compound_id")
    title = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    objections_until = serializers.DateTimeField(allow_null=True)
    named_ballots = serializers.BooleanField()
    allow_vote_change = serializers.BooleanField()
    proxy_limit = serializers.IntegerField()
    public_code = serializers.SerializerMethodField()
    ballots_hash = serializers.CharField()

    def get_public_code(self, assembly: Assembly) -> str | None:
        return assembly.public_code if assembly.is_counted else None


class AssemblyDetailOut(AssemblyOut):
    questions = serializers.SerializerMethodField()

    def get_questions(self, assembly: Assembly) -> list[dict]:
        qs = assembly.questions.prefetch_related("candidates__person").order_by("position")
        return QuestionOut(qs, many=True).data


class RollEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    voter = serializers.CharField(source="voter_label")
    rooms = serializers.CharField(source="rooms_label")
    room_ids = serializers.ListField(child=serializers.IntegerField())
    area = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    heads = serializers.IntegerField()


class TotalsOut(serializers.Serializer):
    area = serializers.SerializerMethodField()
    heads = serializers.IntegerField()

    def get_area(self, totals: rules.Totals) -> str:
        return rules.format_area(totals.area)


class ShareOut(serializers.Serializer):
    total = TotalsOut()
    participating = TotalsOut(source="part")
    area_percent = serializers.CharField(source="area_pct")
    heads_percent = serializers.CharField(source="heads_pct")
    quorum_met = serializers.BooleanField()
    area_needed = serializers.CharField()
    heads_needed = serializers.IntegerField()


class QuestionShareOut(serializers.Serializer):
    question = serializers.IntegerField()
    position = serializers.IntegerField()
    share = ShareOut()


class ParticipationOut(serializers.Serializer):
    overall = ShareOut()
    questions = QuestionShareOut(many=True)
    pending_paper_sheets = serializers.IntegerField()


class BallotIn(serializers.Serializer):
    question = api_fields.IntegerField()
    choice = serializers.ChoiceField(
        choices=[c.value for c in (rules.Choice.AGREE, rules.Choice.OPPOSE, rules.Choice.ABSTAIN)],
        required=False,
        help_text="决议事项：agree/oppose/abstain",
    )
    candidates = serializers.ListField(
        child=api_fields.IntegerField(),
        required=False,
        help_text="选举：所选候选人 id（最多应选人数）",
    )
    proxy = api_fields.IntegerField(required=False, help_text="代理投票时：委托登记 id")


class BallotOut(serializers.Serializer):
    receipt = serializers.CharField()
    question = serializers.IntegerField(source="question_id")
    position = serializers.IntegerField(source="question.position")
    choice = serializers.CharField()
    candidates = serializers.SerializerMethodField()
    channel = serializers.CharField()
    status = serializers.CharField()
    cast_at = serializers.DateTimeField()
    changed_at = serializers.DateTimeField(allow_null=True)

    def get_candidates(self, ballot: Ballot) -> list[int]:
        if not ballot.question.is_election:
            return []
        return sorted(a.candidate_id for a in ballot.approvals.all())


class ResultOut(serializers.Serializer):
    assembly = serializers.IntegerField()
    state = serializers.CharField()
    closed_at = serializers.DateTimeField()
    ballots_count = serializers.IntegerField()
    ballots_hash = serializers.CharField()
    hash_matches = serializers.BooleanField()
    verify_url = serializers.CharField()
    questions = serializers.ListField(child=serializers.DictField())


class TransitionIn(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[
            rules.AssemblyState.ROLL_PUBLISHED.value,
            rules.AssemblyState.OPEN.value,
            rules.AssemblyState.CLOSED.value,
            rules.AssemblyState.RESULT_PUBLISHED.value,
        ]
    )


class VerifyOut(serializers.Serializer):
    found = serializers.BooleanField()
    receipt = serializers.CharField(allow_null=True)
    question = serializers.IntegerField(allow_null=True)
    question_title = serializers.CharField(allow_null=True)
    choice = serializers.CharField(allow_null=True)
    choice_label = serializers.CharField(allow_null=True)
    ballots_hash = serializers.CharField()
    hash_matches = serializers.BooleanField()
