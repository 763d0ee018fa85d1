"""A proxy votes only after staff checked its signed authorisation (核验).

The hole: any resident could register themselves as the proxy holder of any owner on the
roll, with any uploaded file, and vote in that owner's name at once. A proxy the holder
registers now waits (pending) until a vote manager other than the holder accepts it; one
registered by staff, who hold the signed paper, is accepted by them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.core import access
from gongzhi.notifications.models import Notification
from gongzhi.voting import permissions, selectors, services
from gongzhi.voting.models import Ballot, Proxy, ProxyStatus
from tests.scoped import audit_count
from tests.voting.helpers import add_owner, open_assembly, scan


@pytest.fixture
def principal(cast):
    return add_owner(cast.a, "80.00")


@pytest.fixture
def assembly(staff, cast, principal):
    return open_assembly(staff[0], cast.a)


def _self_registered(cast, assembly, principal):
    return services.proxy_register(
        actor=cast.resident, assembly=assembly,
        principal=permissions.roll_entry_of(principal, assembly),
        holder=cast.resident.person, authorisation=scan(),
    )  # fmt: skip


def _register(actor, assembly, principal, holder):
    return services.proxy_register(
        actor=actor, assembly=assembly, principal=permissions.roll_entry_of(principal, assembly),
        holder=holder, authorisation=scan(),
    )  # fmt: skip


def _cast(cast, assembly, proxy):
    return services.ballot_cast(
        actor=cast.resident, question=assembly.questions.get(), choice="agree", proxy=proxy
    )


def test_a_proxy_the_holder_registers_does_not_vote_until_accepted(
    cast, staff, assembly, principal
):
    proxy = _self_registered(cast, assembly, principal)
    assert proxy.status == ProxyStatus.PENDING and proxy.reviewed_at is None
    with pytest.raises(ValidationError, match="尚待工作人员核验"):
        _cast(cast, assembly, proxy)
    assert not Ballot.objects.exists()
    question = assembly.questions.get()
    assert selectors.tally(assembly)[question.pk].participating.heads == 0

    services.proxy_review(actor=staff[1], proxy=proxy, accept=True)
    proxy.refresh_from_db()
    assert (proxy.status, proxy.reviewed_by) == (ProxyStatus.ACCEPTED, staff[1])
    ballot = _cast(cast, assembly, proxy)
    assert ballot.roll_entry.person == principal.person and ballot.channel == "proxy"
    events = AuditEvent.objects.filter(object_type="voting.proxy", object_id=str(proxy.pk))
    assert list(events.order_by("pk").values_list("action", flat=True)) == [
        "ballot.proxy.register", "ballot.proxy.accept",
    ]  # fmt: skip


def test_a_proxy_staff_register_is_accepted_by_them(cast, staff, assembly, principal):
    proxy = services.proxy_register(
        actor=staff[0], assembly=assembly,
        principal=permissions.roll_entry_of(principal, assembly),
        holder=cast.resident.person, authorisation=scan(),
    )  # fmt: skip
    assert (proxy.status, proxy.reviewed_by) == (ProxyStatus.ACCEPTED, staff[0])
    assert _cast(cast, assembly, proxy).channel == "proxy"


def test_a_manager_who_is_the_holder_needs_another_to_check(cast, staff, assembly, principal):
    proxy = services.proxy_register(
        actor=staff[0], assembly=assembly,
        principal=permissions.roll_entry_of(principal, assembly),
        holder=staff[0].person, authorisation=scan(),
    )  # fmt: skip
    assert proxy.status == ProxyStatus.PENDING
    with pytest.raises(PermissionDenied, match="受托人不能核验自己的委托"):
        services.proxy_review(actor=staff[0], proxy=proxy, accept=True)
    services.proxy_review(actor=staff[1], proxy=proxy, accept=True)
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.ACCEPTED


@pytest.mark.parametrize("name", ["resident", "owner", "clerk", "secretary", "clerk_b", "outsider"])
def test_only_vote_managers_of_the_compound_review(cast, assembly, principal, name):
    proxy = _self_registered(cast, assembly, principal)
    with pytest.raises(PermissionDenied):
        services.proxy_review(actor=getattr(cast, name), proxy=proxy, accept=True)
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.PENDING


def test_a_rejection_needs_a_reason_and_frees_the_owner(cast, staff, assembly, principal):
    proxy = _self_registered(cast, assembly, principal)
    with pytest.raises(ValidationError, match="退回原因"):
        services.proxy_review(actor=staff[1], proxy=proxy, accept=False, note="  ")
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.PENDING
    services.proxy_review(actor=staff[1], proxy=proxy, accept=False, note="委托书无业主签名")
    proxy.refresh_from_db()
    assert (proxy.status, proxy.review_note) == (ProxyStatus.REJECTED, "委托书无业主签名")
    with pytest.raises(ValidationError, match="已被退回"):
        _cast(cast, assembly, proxy)
    with pytest.raises(ValidationError, match="已于"):
        services.proxy_review(actor=staff[1], proxy=proxy, accept=True)
    # The owner may authorise again (a new paper): the rejected one neither blocks the
    # room nor counts toward the holder's limit.
    again = _self_registered(cast, assembly, principal)
    assert again.status == ProxyStatus.PENDING and Proxy.objects.count() == 2


def test_one_standing_proxy_per_owner_is_the_databases_rule(cast, staff, assembly, principal):
    proxy = _self_registered(cast, assembly, principal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.create(
            assembly=assembly, principal=proxy.principal, holder=cast.owner.person,
            authorisation=proxy.authorisation.name,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Proxy.objects.filter(pk=proxy.pk).update(status=ProxyStatus.ACCEPTED)  # nobody, no time


def test_no_review_after_voting_closed(cast, staff, assembly, principal):
    proxy = _self_registered(cast, assembly, principal)
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError, match="表决已结束"):
        services.proxy_review(actor=staff[1], proxy=proxy, accept=True, now=later)


def test_managers_are_told_and_the_holder_hears_the_outcome(
    cast, staff, assembly, principal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proxy = _self_registered(cast, assembly, principal)
    told = set(
        Notification.objects.filter(kind="voting.proxy_pending").values_list(
            "recipient_id", flat=True
        )
    )
    assert {staff[0].pk, staff[1].pk} <= told and cast.resident.pk not in told
    with django_capture_on_commit_callbacks(execute=True):
        services.proxy_review(actor=staff[1], proxy=proxy, accept=False, note="签名不符")
    outcome = Notification.objects.get(kind="voting.proxy_reviewed")
    assert outcome.recipient_id == cast.resident.pk and "签名不符" in outcome.body


# --- who registers --------------------------------------------------------------------


def test_the_system_registers_a_proxy_and_it_is_accepted(cast, assembly, principal):
    proxy = _register(None, assembly, principal, cast.resident.person)
    assert (proxy.status, proxy.registered_by, proxy.reviewed_by) == (
        ProxyStatus.ACCEPTED, None, None,
    )  # fmt: skip
    assert AuditEvent.objects.get(action="ballot.proxy.register").actor is None


def test_an_outsider_naming_themself_a_proxy_in_a_compound_they_do_not_see_gets_404(
    cast, assembly, principal
):
    """Through the service too, not only the page: a pending proxy would show them the
    assembly (can_view_assembly) and its principal's ballot."""
    before = audit_count()
    with pytest.raises(Http404):
        _register(cast.outsider, assembly, principal, cast.outsider.person)
    assert not Proxy.objects.exists() and audit_count() == before
    assert not permissions.can_view_assembly(cast.outsider, assembly)


def test_a_holder_who_sees_the_assembly_only_by_their_proxy_registers_no_more(
    cast, staff, principal
):
    other = add_owner(cast.a, "75.00")
    assembly = open_assembly(staff[0], cast.a)
    holder = add_owner(cast.b, "70.00")  # of B, which the community worker also serves
    _register(staff[0], assembly, principal, holder.person)
    access.forget(holder)
    assert permissions.can_view_assembly(holder, assembly)
    with pytest.raises(PermissionDenied, match="不能参加本小区的表决"):
        _register(holder, assembly, other, holder.person)
    assert Proxy.objects.filter(holder=holder.person).count() == 1


# --- the pages ------------------------------------------------------------------------


def test_pages_a_holder_registers_then_waits_then_votes(client, cast, staff, assembly, principal):
    entry = permissions.roll_entry_of(principal, assembly)
    client.force_login(cast.resident)
    response = client.post(
        f"/assemblies/{assembly.pk}/proxies",
        {"room_id": entry.room_ids[0], "authorisation": scan()},
    )
    assert response.status_code == 302
    proxy = assembly.proxies.get()
    page = client.get(f"/assemblies/{assembly.pk}/proxies").content.decode()
    assert 'data-status="pending"' in page and "待核验" in page
    assert f"/proxies/{proxy.pk}/review" not in page  # the holder cannot check their own
    detail = client.get(f"/assemblies/{assembly.pk}/").content.decode()
    assert f"?proxy={proxy.pk}" not in detail and "待核验" in detail
    # The vote page sends a waiting holder back, with the reason.
    response = client.get(f"/assemblies/{assembly.pk}/vote?proxy={proxy.pk}", follow=True)
    assert "尚待工作人员核验" in response.content.decode()
    assert client.post(f"/proxies/{proxy.pk}/review", {"decision": "accept"}).status_code == 403

    client.force_login(staff[1])
    page = client.get(f"/assemblies/{assembly.pk}/proxies").content.decode()
    assert f"/proxies/{proxy.pk}/review" in page
    assert client.post(f"/proxies/{proxy.pk}/review", {"decision": "accept"}).status_code == 302
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.ACCEPTED

    client.force_login(cast.resident)
    assert f"?proxy={proxy.pk}" in client.get(f"/assemblies/{assembly.pk}/").content.decode()
    question = assembly.questions.get()
    client.post(
        f"/assemblies/{assembly.pk}/vote?proxy={proxy.pk}",
        {f"q{question.pk}": "agree", "proxy": proxy.pk, "confirm": "1"},
    )
    assert Ballot.objects.get().roll_entry == entry


def test_page_rejection_without_reason_changes_nothing(client, cast, staff, assembly, principal):
    proxy = _self_registered(cast, assembly, principal)
    client.force_login(staff[1])
    response = client.post(f"/proxies/{proxy.pk}/review", {"decision": "reject"}, follow=True)
    assert "退回原因" in response.content.decode()
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.PENDING
    client.post(f"/proxies/{proxy.pk}/review", {"decision": "reject", "note": "未签名"})
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.REJECTED


def test_review_of_another_compounds_proxy_is_404(client, cast, assembly, principal):
    proxy = _self_registered(cast, assembly, principal)
    client.force_login(cast.clerk_b)
    assert client.post(f"/proxies/{proxy.pk}/review", {"decision": "accept"}).status_code == 404
    assert client.post("/proxies/999999/review", {"decision": "accept"}).status_code == 404
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.PENDING
