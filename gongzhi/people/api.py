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
)
from gongzhi.places.permissions import get_compound_for

TAGS = ["people 人员"]


def _get_person_for(user, pk: int) -> dict:
    """The person with the residencies and ownerships whose roster ``user`` may view; 404
    when there are none, so nobody learns of people outside their scope. Reveals contacts
    when ``user`` may see contacts at one of those places.

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
        "reveal": any(permissions.can_view_contact(user, room.path) for room in rooms),
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="compound_residents_list",
        summary="小区居民",
        description=(
            "小区现住居民(含租户),按楼栋、房号排序。需要该小区的名册查看权限;"
            "联系方式仅对有权查看联系方式的角色完整显示,其余隐去(masked)。"
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
        # resident_cards, paged in the database: the same rows and the same reveal rule.
        residents = selectors.residents_of(compound, search=query.validated_data.get("q", ""))
        page = self.paginate_queryset(residents)
        reveal = permissions.can_view_contact(request.user, compound.path)
        data = ResidentSerializer(page, many=True, context={"reveal": reveal}).data
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
        return Response(PersonDetailSerializer(found, context={"reveal": found["reveal"]}).data)
