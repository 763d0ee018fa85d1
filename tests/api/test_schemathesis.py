"""schemathesis against the served OpenAPI schema (/api/schema): every operation, as a
demo-like staff member (the community worker of tests/cast.py), as a resident and
anonymously, with generated input that the schema allows. No answer may be a 500, and
every answer must be documented: its status code, content type, headers and body
(schemathesis' response conformance checks).

Bounded in time, and the same every run (``derandomize``). Path ids are generated, and
also taken from a small world of real objects (a compound, a demand ...), so operations
are exercised on objects the user may reach, not only on 404s. Each request runs in a
savepoint rolled back afterwards, so one request's write (or a failed statement on
PostgreSQL) does not change the next.

To explore further: ``SCHEMATHESIS_EXAMPLES=200 SCHEMATHESIS_RANDOM=1 pytest tests/api/
test_schemathesis.py`` (more examples, new ones each run; the printed curl commands
reproduce a failure).
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies.models import Membership
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Category, PlaceKind
from gongzhi.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = {"staff": 12, "resident": 5, "anonymous": 2}
MORE = int(os.environ.get("SCHEMATHESIS_EXAMPLES", 0))
RANDOM = os.environ.get("SCHEMATHESIS_RANDOM") == "1"


@pytest.fixture(scope="module")
def api_schema(django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema?format=json", application)


def _world(cast) -> dict[str, list[int]]:
    """Real objects, by the path segment before ``{id}`` that names them."""
    repair = Category.objects.create(
        name="维修", keywords="漏水 电梯", accept_within_hours=24, resolve_within_days=3
    )
    demands = [
        demand_services.demand_file(
            actor=cast.resident,
            compound=cast.a,
            category=repair,
            description=text,
            place_kind=PlaceKind.ROOM,
            room=cast.room_a,
            is_public=True,
        )
        for text in ("1号楼电梯坏了,老人下不了楼", "1号楼电梯又坏了")
    ]
    return {
        "compounds": [cast.a.pk],
        "buildings": [cast.building_a1.pk],
        "people": [cast.resident.person_id],
        "bodies": [cast.branch_a.pk],
        "memberships": list(
            Membership.objects.filter(body=cast.property_a).values_list("pk", flat=True)[:1]
        ),
        "demands": [d.pk for d in demands],
        "categories": [repair.pk],
        "audit-events": list(AuditEvent.objects.values_list("pk", flat=True)[:1]),
    }


def _strategy(operation, world):
    """Generated cases, and cases on each real object the path can name."""
    strategies = [operation.as_strategy()]
    match = re.search(r"/([a-z-]+)/\{id\}", operation.path)
    if match:
        for pk in world.get(match.group(1), []):
            strategies.append(operation.as_strategy(path_parameters={"id": pk}))
    return st.one_of(strategies)


def _run(operation, strategy, headers, examples) -> str | None:
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def check(case):
        cache.clear()  # throttles and lock-outs count per test, not across examples
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
        finally:
            transaction.savepoint_rollback(savepoint)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, then reported
        return f"{operation.label}\n{exc}"
    return None


@pytest.fixture
def connection_kept():
    """schemathesis calls the WSGI application itself, which closes the database
    connection when a request ends (and the test's transaction with it, on PostgreSQL);
    Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["staff", "resident", "anonymous"])
def test_every_operation_answers_as_documented(cast, api_schema, connection_kept, who):
    account = {"staff": cast.community_worker, "resident": cast.resident}.get(who)
    headers = {}
    if account is not None:
        headers["Authorization"] = f"Token {Token.objects.create(user=account).key}"
    world = _world(cast)
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        failure = _run(operation, _strategy(operation, world), headers, MORE or EXAMPLES[who])
        if failure:
            failures.append(failure)
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
