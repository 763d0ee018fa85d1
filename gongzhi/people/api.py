"""People API: the residents of a compound and one person, masked per the reader's role."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from gongzhi.core.access import ensure
from gongzhi.core.api_permissions import ApiViewMixin, error_responses
from gongzhi.people import permissions, selectors
from gongzhi.people.models import Person
from gongzhi.people.serializers import (
    PersonDetailSerializer,
    ResidentListQuerySerializer,
    ResidentSerializer,
    serialize_seen,
)
from gongzhi.places.permissions import get_compound_for

TAGS = ["people 人员"]


def _get_person_for(user, pk: int) -> dict:
    """The person with the residencies and ownerships whose roster ``user`` may view; 404
    when there are none, so nobody learns of people outside their scope. Shows each kind
    of personal data that ``user`` may see at one of those places.

    Belongs in people.permissions (get_person_for), which is not ours to edit in this change.
    """
    person = get_object_or_404(Person, pk=pk)
    places = selectors.places_of_person(person)
    residencies = [
        r for r in places["residencies"] if permissions.can_view_roster(user, r.household.room.path)
    ]
    ownerships = [o for o in places["ownerships"] if permissions.can_view_roster(user, o.room.path)]
    rooms = [r.household.room for r in residencies] + [o.room for o in ownerships]
    if not rooms:
        raise Http404
    return {
        "person": person,
        "residencies": residencies,
        "ownerships": ownerships,
        "sight": selectors.Sight(permissions.reveal_at_any(user, [room.path for room in rooms])),
        "place_path": next(
            (r.path for r in rooms if permissions.can_view_id_number(user, r.path)), rooms[0].path
        ),
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="compound_residents_list",
        summary="小区居民",
        description=(
            "小区现住居民(含租户),按楼栋、房号排序。需要该小区的名册查看权限;"
            "手机号、身份证号和关爱标记各自只对需要它的角色完整显示,其余隐去"
            "(见 docs/privacy.md);显示完整身份证号的每一页都记入审计日志。"
        ),
        tags=TAGS,
        parameters=[ResidentListQuerySerializer],
        responses={200: ResidentSerializer(many=True), **error_responses(400, 404)},
    )
)
class CompoundResidentsView(ApiViewMixin, generics.ListAPIView):
    serializer_class = ResidentSerializer

    def list(self, request, *args, **kwargs):
        compound = get_compound_for(request.user, kwargs["pk"])
        ensure(permissions.can_view_roster(request.user, compound.path))
        query = ResidentListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # resident_cards, paged in the database: the same rows and the same sight.
        residents = selectors.residents_of(compound, search=query.validated_data.get("q", ""))
        page = self.paginate_queryset(residents)
        data = serialize_seen(
            ResidentSerializer, page, many=True, user=request.user, place_path=compound.path,
            where="api:people:compound-residents", label=compound.name,
        )  # fmt: skip
        return self.get_paginated_response(data)


@extend_schema_view(
    get=extend_schema(
        operation_id="people_retrieve",
        summary="人员详情",
        description=(
            "仅当此人在您可查看名册的地方居住或拥有房屋时可见,否则 404;只列出这些地方的居住与产权。"
        ),
        tags=TAGS,
        responses={200: PersonDetailSerializer, **error_responses(404)},
    )
)
class PersonDetailView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = PersonDetailSerializer

    def get(self, request, *args, **kwargs):
        found = _get_person_for(request.user, kwargs["pk"])
        data = serialize_seen(
            PersonDetailSerializer, found, user=request.user, sight=found["sight"],
            place_path=found["place_path"], where="api:people:person-detail",
            label=found["person"].name,
        )  # fmt: skip
        return Response(data)
