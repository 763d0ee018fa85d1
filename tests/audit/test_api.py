"""GET /api/v1/audit-events: read-only, scoped like the pages, 404 outside one's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent

LIST = reverse("api:audit-event-list", kwargs={"version": "v1"})


def detail(pk: int) -> str:
    return reverse("api:audit-event-detail", kwargs={"version": "v1", "pk": pk})


@pytest.fixture
def api():
    return APIClient()


def ids(api, user, **params) -> set[int]:
    api.force_authenticate(user)
    response = api.get(LIST, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_routes_are_versioned_without_trailing_slash():
    assert LIST == "/api/v1/audit-events"
    assert detail(7) == "/api/v1/audit-events/7"


def test_anonymous_is_refused(api, events):
    assert api.get(LIST).status_code == 401


def test_token_authentication_works(api, events, cast):
    token = Token.objects.create(user=cast.secretary)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(LIST)
    assert response.status_code == 200
    assert {r["id"] for r in response.json()["results"]} == {events.a.pk, events.a_compound.pk}


def test_clerk_of_other_compound_gets_403(api, events, cast):
    api.force_authenticate(cast.clerk_b)
    assert api.get(LIST).status_code == 403
    assert api.get(detail(events.a.pk)).status_code == 403


def test_secretary_lists_only_events_of_a(api, events, cast):
    assert ids(api, cast.secretary) == {events.a.pk, events.a_compound.pk}


def test_community_worker_lists_a_and_b_but_not_z(api, events, cast):
    assert ids(api, cast.community_worker) == {
        events.a.pk, events.a_compound.pk, events.b.pk, events.community.pk,
    }  # fmt: skip


def test_street_official_lists_the_street_but_not_placeless_events(api, events, cast):
    seen = ids(api, cast.street_official)
    assert events.z.pk in seen and events.street.pk in seen
    assert events.placeless.pk not in seen


def test_superuser_lists_everything(api, events, superuser):
    assert ids(api, superuser) == {e.pk for e in events.all()}


def test_community_worker_gets_404_for_event_of_z(api, events, cast):
    api.force_authenticate(cast.community_worker)
    assert api.get(detail(events.z.pk)).status_code == 404


def test_street_official_gets_404_for_placeless_event(api, events, cast):
    api.force_authenticate(cast.street_official)
    assert api.get(detail(events.placeless.pk)).status_code == 404


def test_detail_fields(api, events, cast):
    api.force_authenticate(cast.secretary)
    data = api.get(detail(events.a_compound.pk)).json()
    assert data == {
        "id": events.a_compound.pk,
        "at": data["at"],
        "actor": None,
        "actor_label": "系统",
        "action": "compound.update",
        "object_type": "places.compound",
        "object_id": str(cast.a.pk),
        "object_repr": "甲小区",
        "place_path": cast.a.path,
        "before": {"address": "旧地址", "built_year": 1998},
        "after": {"address": "新地址", "built_year": 1998},
        "correlation_id": str(events.a_compound.correlation_id),
    }


def test_list_is_paginated_by_limit_and_offset_newest_first(api, events, cast):
    api.force_authenticate(cast.street_official)
    data = api.get(LIST, {"limit": 2, "offset": 0}).json()
    assert data["count"] == 6
    assert [r["id"] for r in data["results"]] == [events.street.pk, events.community.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "body.create"}, {"community", "street"}),
        ({"action": "room.*"}, {"a", "b", "z"}),
        ({"object_type": "places.compound"}, {"a_compound"}),
        ({"place": "B"}, {"b"}),
        ({"q": "丙小区"}, {"z"}),
        ({"actor": "COMMUNITY_WORKER"}, {"a"}),
    ],
)
def test_filters(api, events, cast, params, expected):
    params = {
        k: cast.b.path if v == "B" else cast.community_worker.pk if v == "COMMUNITY_WORKER" else v
        for k, v in params.items()
    }
    assert ids(api, cast.street_official, **params) == {getattr(events, e).pk for e in expected}


def test_filter_by_correlation_id(api, events, cast):
    seen = ids(api, cast.street_official, correlation_id=str(events.b.correlation_id))
    assert seen == {events.b.pk}


def test_place_filter_cannot_widen_the_scope(api, events, cast):
    assert ids(api, cast.secretary, place=cast.street.path) == {events.a.pk, events.a_compound.pk}


def test_invalid_filter_is_400(api, events, cast):
    api.force_authenticate(cast.street_official)
    response = api.get(LIST, {"since": "yesterday", "place": "not/a/path"})
    assert response.status_code == 400
    assert set(response.json()) == {"since", "place"}


def test_since_and_until_accept_date_and_datetime(api, events, cast):
    day = timezone.localtime(events.a.at).date().isoformat()
    assert events.a.pk in ids(api, cast.secretary, since=day, until=day)
    assert ids(api, cast.secretary, since="2999-01-01T00:00:00+08:00") == set()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_events_cannot_be_changed_through_the_api(api, events, cast, method):
    api.force_authenticate(cast.street_official)
    response = getattr(api, method)(detail(events.a.pk), {"action": "forged"}, format="json")
    assert response.status_code == 405
    assert AuditEvent.objects.get(pk=events.a.pk).action == "room.update"


def test_events_cannot_be_created_through_the_api(api, events, cast):
    api.force_authenticate(cast.street_official)
    response = api.post(LIST, {"action": "forged", "object_type": "x"}, format="json")
    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="forged").exists()


def test_schema_documents_the_audit_endpoints(api, superuser):
    api.force_authenticate(superuser)
    response = api.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    listing = paths["/api/v1/audit-events"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "action", "actor", "object_type", "object_id", "place", "since", "until", "q",
    }  # fmt: skip
    assert set(paths["/api/v1/audit-events/{id}"]) == {"get"}
