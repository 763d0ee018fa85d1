"""Voting API (DRF, /api/v1/): read assemblies, cast ballots, follow participation, read
results, and check a receipt. Every view parses, calls one service or selector, answers."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from gongzhi.core import refs
from gongzhi.places.permissions import get_compound_for
from gongzhi.voting import ledger, permissions, rules, selectors, services
from gongzhi.voting.models import Assembly, Proxy
from gongzhi.voting.serializers import (
    AssemblyDetailOut,
    AssemblyOut,
    BallotIn,
    BallotOut,
    ParticipationOut,
    ResultOut,
    RollEntryOut,
    TransitionIn,
    VerifyOut,
)

S = rules.AssemblyState
TAGS = ["voting"]


def _verify_url(request, assembly: Assembly) -> str:
    return request.build_absolute_uri(reverse("voting:verify", args=[assembly.public_code]))


class AssemblyList(generics.ListAPIView):
    serializer_class = AssemblyOut

    @extend_schema(
        summary="我可见的业主大会会议",
        tags=TAGS,
        parameters=[OpenApiParameter("state", str, description="按状态筛选，如 open")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.assemblies_visible_to(self.request.user)
        if "pk" in self.kwargs:
            compound = get_compound_for(self.request.user, self.kwargs["pk"])
            qs = qs.filter(compound=compound)
        state = self.request.query_params.get("state")
        if state:
            qs = qs.filter(state=state)
        return qs.order_by("-opens_at", "-id")


class AssemblyDetail(APIView):
    @extend_schema(summary="一次会议及其议题", tags=TAGS, responses=AssemblyDetailOut)
    def get(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk)
        return Response(AssemblyDetailOut(assembly).data)


class MyRollEntry(APIView):
    @extend_schema(
        summary="我在名册上的登记（房屋、面积、人数）",
        tags=TAGS,
        responses={200: RollEntryOut, 404: OpenApiResponse(description="不在名册上")},
    )
    def get(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk)
        entry = permissions.roll_entry_of(request.user, assembly)
        if entry is None:
            raise Http404(_("您不在本次表决的业主名册上。"))
        return Response(RollEntryOut(entry).data)


class Participation(APIView):
    @extend_schema(
        summary="参与表决情况（面积、人数对三分之二）", tags=TAGS, responses=ParticipationOut
    )
    def get(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk)
        meter = selectors.participation(assembly)
        data = {
            "overall": meter.overall,
            "questions": [
                {"question": q.pk, "position": q.position, "share": share}
                for q, share in meter.questions
            ],
            "pending_paper_sheets": meter.pending_sheets,
        }
        return Response(ParticipationOut(data).data)


class Ballots(APIView):
    @extend_schema(summary="我的选票与回执", tags=TAGS, responses=BallotOut(many=True))
    def get(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk)
        entry = permissions.roll_entry_of(request.user, assembly)
        ballots = selectors.ballots_of(entry) if entry else []
        return Response(BallotOut(ballots, many=True).data)

    @extend_schema(
        summary="投票",
        description="决议事项给 choice（agree/oppose/abstain），选举给 candidates（最多应选人数）。"
        "同一表决人就同一议题重复投票返回 409（议事规则允许改票时为改票，发放新回执）。",
        tags=TAGS,
        request=BallotIn,
        responses={
            201: BallotOut,
            400: OpenApiResponse(description="选择无效或不在投票时间内"),
            403: OpenApiResponse(description="不在名册上"),
            409: OpenApiResponse(description="已投票"),
        },
    )
    def post(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk)
        data = BallotIn(data=request.data)
        data.is_valid(raise_exception=True)
        question = get_object_or_404(
            assembly.questions, pk=refs.parse_id(data.validated_data["question"])
        )
        proxy = None
        if "proxy" in data.validated_data:
            # Only a proxy the voter holds: someone else's is as absent as a missing one.
            proxy = get_object_or_404(
                Proxy.objects.select_related("principal"),
                pk=refs.parse_id(data.validated_data["proxy"]),
                assembly=assembly,
                holder_id=request.user.person_id,
            )
        question.assembly = assembly
        try:
            ballot = services.ballot_cast(
                actor=request.user,
                question=question,
                choice=data.validated_data.get("choice"),
                candidates=data.validated_data.get("candidates"),
                proxy=proxy,
            )
        except services.DuplicateBallot as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        return Response(BallotOut(ballot).data, status=status.HTTP_201_CREATED)


class Transition(APIView):
    @extend_schema(
        summary="推进会议状态（公示名册、开始、结束计票、公示结果）",
        tags=TAGS,
        request=TransitionIn,
        responses=AssemblyOut,
    )
    def post(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk, manage=True)
        data = TransitionIn(data=request.data)
        data.is_valid(raise_exception=True)
        target = S(data.validated_data["to"])
        if target is S.ROLL_PUBLISHED:
            assembly = services.assembly_publish_roll(actor=request.user, assembly=assembly)
        elif target is S.OPEN:
            assembly = services.assembly_open(actor=request.user, assembly=assembly)
        elif target is S.CLOSED:
            assembly = services.assembly_close(actor=request.user, assembly=assembly)
        else:
            assembly = services.assembly_publish_result(
                actor=request.user, assembly=assembly, verify_url=_verify_url(request, assembly)
            )
        return Response(AssemblyOut(assembly).data)


def _shown_result(question) -> dict:
    """The result stored at closing, with its explanations in the request's language."""
    result = dict(question.result or {})
    if result:
        result.update(
            matter_label=str(question.matter_label),
            quorum=rules.QUORUM.description,
            threshold=question.threshold_description,
        )
    return result


class Result(APIView):
    @extend_schema(
        summary="表决结果（计票、门槛、是否通过、选票清单哈希）",
        tags=TAGS,
        responses={200: ResultOut, 404: OpenApiResponse(description="尚未结束")},
    )
    def get(self, request, pk: int, version=None):
        assembly = permissions.get_assembly_for(request.user, pk)
        if not assembly.is_counted:
            raise Http404(_("表决尚未结束。"))

        check = selectors.check_ledger(assembly)
        data = {
            "assembly": assembly.pk,
            "state": assembly.state,
            "closed_at": assembly.closed_at,
            "ballots_count": assembly.ballots_count,
            "ballots_hash": assembly.ballots_hash,
            "hash_matches": check.matches,
            "verify_url": _verify_url(request, assembly),
            "questions": [
                {"id": q.pk, "position": q.position, "title": q.title, **_shown_result(q)}
                for q in assembly.questions.order_by("position")
            ],
        }
        return Response(ResultOut(data).data)


class Verify(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="凭回执核验选票（公开，无须登录）",
        tags=TAGS,
        parameters=[OpenApiParameter("receipt", str, required=True)],
        responses=VerifyOut,
    )
    def get(self, request, code: str, version=None):
        assembly = get_object_or_404(Assembly, public_code=code)
        if not assembly.is_counted:
            raise Http404
        receipt = ledger.normalise_receipt(request.query_params.get("receipt", ""))
        match = selectors.find_receipt(assembly, receipt) if receipt else None
        check = selectors.check_ledger(assembly)
        return Response(
            VerifyOut(
                {
                    "found": match is not None,
                    "receipt": match.receipt if match else None,
                    "question": match.question.position if match else None,
                    "question_title": match.question.title if match else None,
                    "choice": match.choice if match else None,
                    "choice_label": match.choice_label if match else None,
                    "ballots_hash": assembly.ballots_hash,
                    "hash_matches": check.matches,
                }
            ).data
        )
