"""Every voting page renders for a manager and for an owner in every state of an assembly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.voting import services
from tests.voting.helpers import after_close, open_assembly

PAGES = [
    "/compounds/{c}/assemblies/",
    "/compounds/{c}/elections/",
    "/assemblies/{a}/",
    "/assemblies/{a}/roll",
    "/assemblies/{a}/result",
    "/assemblies/{a}/meter",
    "/assemblies/{a}/proxies",
]


def _states(cast, staff):
    now = timezone.now()
    draft = services.assembly_create(
        actor=staff[0],
        compound=cast.a,
        title="筹备中",
        opens_at=now + dt.timedelta(days=9),
        closes_at=now + dt.timedelta(days=10),
    )
    services.question_add(actor=staff[0], assembly=draft, title="议题", matter="other_major")
    published = services.assembly_create(
        actor=staff[0],
        compound=cast.a,
        title="公示中",
        opens_at=now + dt.timedelta(days=9),
        closes_at=now + dt.timedelta(days=10),
    )
    services.question_add(actor=staff[0], assembly=published, title="议题", matter="other_major")
    services.assembly_publish_roll(actor=staff[0], assembly=published)
    opened = open_assembly(staff[0], cast.a, title="表决中")
    services.ballot_cast(actor=cast.owner, question=opened.questions.get(), choice="agree")
    closed = open_assembly(staff[0], cast.a, title="已截止")
    services.ballot_cast(actor=cast.owner, question=closed.questions.get(), choice="oppose")
    services.assembly_close(actor=staff[0], assembly=closed, now=after_close(closed))
    published_result = open_assembly(staff[0], cast.a, title="已公示")
    services.assembly_close(
        actor=staff[0], assembly=published_result, now=after_close(published_result)
    )
    services.assembly_publish_result(
        actor=staff[1], assembly=published_result, verify_url="http://testserver/v/"
    )
    return [draft, published, opened, closed, published_result]


@pytest.mark.parametrize("role", ["community_worker", "owner", "resident"])
def test_every_page_renders_in_every_state(client, cast, staff, role):
    client.force_login(getattr(cast, role))
    for assembly in _states(cast, staff):
        for page in PAGES:
            url = page.format(c=cast.a.pk, a=assembly.pk)
            response = client.get(url)
            assert response.status_code == 200, (assembly.state, url, response.status_code)
        if assembly.is_counted:
            assert client.get(f"/assemblies/{assembly.pk}/result.pdf").status_code == 200
            assert client.get(f"/verify/{assembly.public_code}/").status_code == 200
    if role == "community_worker":
        assert client.get(f"/compounds/{cast.a.pk}/voting-policy").status_code == 200
        assert client.get(f"/assemblies/{assembly.pk}/paper").status_code == 200


def test_owner_vote_page_in_each_state(client, cast, staff):
    client.force_login(cast.owner)
    for assembly in _states(cast, staff)[1:]:
        assert client.get(f"/assemblies/{assembly.pk}/vote").status_code == 200


def test_election_page_in_each_state(client, cast, staff):
    from gongzhi.voting.models import Election

    election = services.election_create(
        actor=staff[0],
        compound=cast.a,
        title="换届",
        committee_kind="owners_committee",
        seats=5,
        term_years=5,
    )
    for state in ("nominating", "slate_published", "balloting", "counted", "filed"):
        Election.objects.filter(pk=election.pk).update(state=state)
        for user in (staff[0], cast.owner):
            client.force_login(user)
            assert client.get(f"/elections/{election.pk}/").status_code == 200, state
