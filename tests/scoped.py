"""Helpers for the tests of ids named by a write (core.refs): an id of another compound or
community is refused exactly as an id naming nothing is, and tells nothing."""

from __future__ import annotations

from rest_framework.test import APIClient

MISSING = 99999999  # an id no test row has


def api_client(account) -> APIClient:
    client = APIClient()
    client.force_authenticate(account)
    return client


def assert_refused_alike(foreign, missing, *, status: int = 400, hidden=()) -> None:
    """Same status, same body (word for word), and none of ``hidden`` (names, phones of
    the people or places named) anywhere in the answer."""
    assert foreign.status_code == missing.status_code == status, (
        foreign.status_code,
        foreign.content.decode()[:300],
        missing.status_code,
        missing.content.decode()[:300],
    )
    assert foreign.content == missing.content
    text = foreign.content.decode()
    for value in hidden:
        assert str(value) not in text


def audit_count() -> int:
    from gongzhi.audit.models import AuditEvent

    return AuditEvent.objects.count()
