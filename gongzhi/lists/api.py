"""Lists API v1 (清单): lists, one list with its items, create, add items (from demands or
free), publish, archive, one item, claim, progress, finish, solve, release, drop, plan,
milestones, and figures. Views parse, call one service or selector, render."""

from __future__ import annotations

from functools import partial

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from gongzhi.core import api_fields
from gongzhi.core.access import ensure
from gongzhi.core.api_permissions import ApiViewMixin, action_view, error_responses
from gongzhi.core.inputs import ascii_int
from gongzhi.lists import permissions, selectors, services
from gongzhi.lists import serializers as s
from gongzhi.lists.models import Milestone
from gongzhi.lists.rules import ListError
from gongzhi.places import rules as place_rules
from gongzhi.places.permissions import get_community_for, get_compound_for

TAGS = ["lists 清单"]


def _list_detail(request, pk, status_code=status.HTTP_200_OK) -> Response:
    work_list = selectors.list_for(request.user, pk)
    work_list.figures = selectors.figures_for_list(work_list)
    context = {"reveal": permissions.sees_claimant_person(request.user, work_list)}
    data = s.ListDetailSerializer(
        {"list": work_list, "items": selectors.items_of(work_list)}, context=context
    ).data
    return Response(data, status=status_code)


def _item_detail(request, pk, status_code=status.HTTP_200_OK) -> Response:
    item = selectors.item_for(request.user, pk)
    work_list = item.work_list
    context = {"reveal": permissions.sees_claimant_person(request.user, work_list)}
    claim = item.active_claims[0] if item.active_claims else None
    data = s.ListItemDetailSerializer(
        {
            "item": item,
            "list": work_list.pk,
            "progress": selectors.progress_of(item),
            "claims": selectors.claims_of(item),
            "actions": permissions.available_actions(request.user, item, claim),
        },
        context=context,
    ).data
    return Response(data, status=status_code)


class ListCollectionView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.WorkListSerializer

    @extend_schema(
        operation_id="lists_list",
        summary="清单",
        description=(
            "我可见的需求清单和问题清单,新的期间在前,各带收集/解决/认领数(一页一次分组查询)。"
            "居民只看到已发布和已归档的清单;草稿只有工作人员可见。"
        ),
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "compound", api_fields.ID_PARAMETER, description="小区编号(含其社区的社区级清单)"
            ),
            OpenApiParameter("kind", str, description="needs / problems"),
            OpenApiParameter("state", str, description="draft / published / archived"),
        ],
        responses={200: s.WorkListSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request, *args, **kwargs):
        params = request.query_params
        compound_id = params.get("compound")
        if compound_id:
            if (pk := ascii_int(compound_id, minimum=1)) is None:
                raise ListError({"compound": [_("小区编号无效。")]})
            qs = selectors.lists_for_compound(request.user, get_compound_for(request.user, pk))
        else:
            qs = selectors.lists_visible_to(request.user)
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        page = self.paginate_queryset(qs)
        figures = selectors.figures_per_list([wl.pk for wl in page])
        for wl in page:
            wl.figures = figures[wl.pk]
        return self.get_paginated_response(s.WorkListSerializer(page, many=True).data)

    @extend_schema(
        operation_id="lists_create",
        summary="新建清单",
        description="支部书记、网格员或社区工作人员为小区(或只填社区,为社区)编制清单,先为草稿。",
        tags=TAGS,
        request=s.WorkListCreateSerializer,
        responses={201: s.ListDetailSerializer, **error_responses(400, 404)},
    )
    def post(self, request, *args, **kwargs):
        form = s.WorkListCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        compound = None
        if data.get("compound") is not None:
            compound = get_compound_for(request.user, data["compound"])
        community = permissions.named(
            partial(get_community_for, request.user), data.get("community"), "community",
            _("社区不存在。"),
        )  # fmt: skip
        work_list = services.worklist_create(
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            period=data["period"],
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            note=data["note"],
            compound=compound,
            community=community,
        )
        return _list_detail(request, work_list.pk, status.HTTP_201_CREATED)


class ListDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.ListDetailSerializer

    @extend_schema(
        operation_id="lists_retrieve",
        summary="清单详情",
        description="清单、收集/解决/认领数和全部事项(含认领方和节点;不含诉求人)。不可见为404。",
        tags=TAGS,
        responses={200: s.ListDetailSerializer, **error_responses(404)},
    )
    def get(self, request, *args, **kwargs):
        return _list_detail(request, kwargs["pk"])


# One POST endpoint per list write: parse, call the service, answer with the list.
_list_action = partial(
    action_view,
    operation_prefix="lists",
    view_prefix="List",
    fetch=selectors.list_for,
    render=lambda request, work_list, code: _list_detail(request, work_list.pk, code),
    response=s.ListDetailSerializer,
    tags=TAGS,
    module=__name__,
)


def _add_free(request, work_list, data):
    services.item_add(
        actor=request.user,
        work_list=work_list,
        title=data["title"],
        description=data["description"],
        source=data["source"],
        source_label=data["source_label"],
        source_date=data["source_date"],
        category=permissions.named(
            partial(permissions.get_category_for, work_list),
            data["category"],
            "category",
            permissions.CATEGORY_REFUSAL,
        ),
        place_label=data["place_label"],
        mode=data["mode"],
        plan=data["plan"],
        milestones=[(m["title"], m["due_on"]) for m in data["milestones"]],
    )


def _add_demands(request, work_list, data):
    services.items_add_from_demands(
        actor=request.user,
        work_list=work_list,
        demands=data["demands"],
        mode=data["mode"],
        plan=data["plan"],
        milestones=[(m["title"], m["due_on"]) for m in data["milestones"]],
        titles=data["titles"],
    )


LIST_ACTIONS = {
    "items": _list_action(
        "items", s.ListFreeItemSerializer, "录入事项",
        "录入会议收集或上门走访发现的事项;长期项目须有推进计划和至少一个节点。", _add_free,
        status_code=status.HTTP_201_CREATED,
    ),
    "from-demands": _list_action(
        "from-demands", s.ListFromDemandsSerializer, "从诉求列入",
        "把本地未办结的诉求一次列入清单;事项不带诉求人。居民未同意公开的诉求不显示原文,须在"
        " titles 中为它写清单标题。",
        _add_demands, status_code=status.HTTP_201_CREATED,
    ),
    "publish": _list_action(
        "publish", s.ListTextInSerializer, "发布清单", "发布后居民可见,共建单位和双报到党员可认领。",
        lambda r, wl, v: services.worklist_publish(actor=r.user, work_list=wl),
    ),
    "archive": _list_action(
        "archive", s.ListTextInSerializer, "归档清单", "归档后事项不再变动。",
        lambda r, wl, v: services.worklist_archive(actor=r.user, work_list=wl),
    ),
}  # fmt: skip


class ItemDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.ListItemDetailSerializer

    @extend_schema(
        operation_id="list_items_retrieve",
        summary="清单事项",
        description="事项、节点、进展、认领记录和我现在可做的操作。不可见为404。",
        tags=TAGS,
        responses={200: s.ListItemDetailSerializer, **error_responses(404)},
    )
    def get(self, request, *args, **kwargs):
        return _item_detail(request, kwargs["pk"])


# One POST endpoint per item move: parse, call the service, answer with the item.
_item_action = partial(
    action_view,
    operation_prefix="list_items",
    view_prefix="ListItem",
    fetch=selectors.item_for,
    render=lambda request, item, code: _item_detail(request, item.pk, code),
    response=s.ListItemDetailSerializer,
    tags=TAGS,
    module=__name__,
)


def _claim(request, item, data):
    services.item_claim(
        actor=request.user,
        item=item,
        body=permissions.named(
            partial(permissions.get_claim_body_for, item.work_list),
            data["body"],
            "body",
            permissions.CLAIM_BODY_REFUSAL,
        ),
        person=permissions.named(
            partial(permissions.get_claim_person_for, item.work_list),
            data["person"],
            "person",
            permissions.CLAIM_PERSON_REFUSAL,
        ),
    )


ITEM_ACTIONS = {
    "claim": _item_action(
        "claim", s.ListClaimInSerializer, "认领",
        "共建单位联络人(单位覆盖本小区)或在本社区双报到的在职党员认领已发布清单上待认领的事项;"
        "工作人员填 body 或 person 为指派。不符合条件的为403,说明原因。", _claim,
    ),
    "progress": _item_action(
        "progress", s.ListProgressInSerializer, "报告进展",
        "认领方或工作人员报告进展(0–100%),可附照片(重新编码、去除EXIF)。",
        lambda r, i, v: services.item_report_progress(
            actor=r.user, item=i, text=v["text"], percent=v["percent"], photos=v["photos"]
        ),
        multipart=True,
    ),
    "finish": _item_action(
        "finish", s.ListTextInSerializer, "办结",
        "认领方或工作人员办结;长期项目须先完成全部节点。通知清单编制人和工作人员。",
        lambda r, i, v: services.item_finish(actor=r.user, item=i, text=v["text"]),
    ),
    "solve": _item_action(
        "solve", s.ListTextInSerializer, "立行立改办结", "工作人员把待认领的立行立改事项直接标为已解决。",
        lambda r, i, v: services.item_solve(actor=r.user, item=i, text=v["text"]),
    ),
    "release": _item_action(
        "release", s.ListReasonInSerializer, "退回认领", "认领方或工作人员退回认领,事项重新待认领。",
        lambda r, i, v: services.item_release(actor=r.user, item=i, reason=v["reason"]),
    ),
    "drop": _item_action(
        "drop", s.ListReasonInSerializer, "不再办理", "工作人员注明原因后不再办理(居民可见原因)。",
        lambda r, i, v: services.item_drop(actor=r.user, item=i, reason=v["reason"]),
    ),
    "plan": _item_action(
        "plan", s.ListPlanInSerializer, "推进计划",
        "工作人员把事项作为长期项目推进:填写计划并增加节点(至少一个)。",
        lambda r, i, v: services.item_plan(
            actor=r.user, item=i, plan=v["plan"],
            milestones=[(m["title"], m["due_on"]) for m in v["milestones"]],
        ),
    ),
}  # fmt: skip


class MilestoneDoneView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.ListTextInSerializer

    @extend_schema(
        operation_id="list_milestones_done",
        summary="完成节点",
        description="认领方或工作人员把长期项目的一个节点标为完成;返回事项。",
        tags=TAGS,
        request=None,
        responses={200: s.ListItemDetailSerializer, **error_responses(400, 404)},
    )
    def post(self, request, *args, **kwargs):
        milestone = Milestone.objects.filter(pk=kwargs["pk"]).first()
        if milestone is None:
            raise Http404
        item = selectors.item_for(request.user, milestone.item_id)
        services.milestone_complete(actor=request.user, milestone=milestone)
        return _item_detail(request, item.pk)


class FiguresView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = s.PlaceFiguresSerializer

    @extend_schema(
        operation_id="list_figures_retrieve",
        summary="清单统计",
        description=(
            "某小区、社区或街道已发布(含已归档)清单上,某期间收集的事项数,以及其中已解决、"
            "已认领的数目;一次查询。"
        ),
        tags=TAGS,
        parameters=[s.ListFiguresQuerySerializer],
        responses={200: s.PlaceFiguresSerializer, **error_responses(400)},
    )
    def get(self, request, *args, **kwargs):
        query = s.ListFiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        place = data["place"]
        if not place.endswith("/"):
            place += "/"
        try:
            place_rules.parse_path(place)
        except ValueError:
            raise ListError({"place": [_("地点路径无效。")]}) from None
        ensure(permissions.can_view_figures(request.user, place), _("您无权查看该范围的统计。"))
        figures = selectors.list_figures(
            place, data.get("since"), data.get("until"), kind=data.get("kind") or None
        )
        return Response(
            s.PlaceFiguresSerializer(
                {
                    **figures.as_dict(),
                    "place": place,
                    "since": data.get("since"),
                    "until": data.get("until"),
                }
            ).data
        )
