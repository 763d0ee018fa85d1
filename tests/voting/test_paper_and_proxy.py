"""Paper ballots (entered by one staff member, confirmed by another) and proxies."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongzhi.voting import permissions, selectors, services
from gongzhi.voting.models import Ballot, BallotStatus, Proxy, SheetStatus
from tests.voting.helpers import PNG_BYTES, add_owner, after_close, open_assembly, scan


def _enter(staff_member, assembly, entry, choice="agree"):
    return services.paper_sheet_enter(
        actor=staff_member,
        assembly=assembly,
        entry=entry,
        answers={assembly.questions.get(): choice},
        scan=scan(),
    )


def test_paper_ballot_does_not_count_until_confirmed_by_another_staff_member(cast, staff, open_a):
    entry = permissions.roll_entry_of(cast.owner, open_a)
    sheet = _enter(staff[0], open_a, entry)
    question = open_a.questions.get()
    assert Ballot.objects.get().status == BallotStatus.PENDING
    assert selectors.tally(open_a)[question.pk].participating.heads == 0
    services.paper_sheet_confirm(actor=staff[1], sheet=sheet)
    assert Ballot.objects.get().status == BallotStatus.VALID
    assert selectors.tally(open_a)[question.pk].agree.heads == 1


def test_the_same_staff_member_cannot_confirm_their_own_entry(cast, staff, open_a):
    sheet = _enter(staff[0], open_a, permissions.roll_entry_of(cast.owner, open_a))
    with pytest.raises(PermissionDenied, match="另一名工作人员"):
        services.paper_sheet_confirm(actor=staff[0], sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PENDING


def test_confirming_asks_can_confirm_paper_the_one_rule(cast, staff, open_a, monkeypatch):
    """The service follows the predicate the pages and the matrix ask, not a copy of it:
    a second manager the predicate refuses is refused, and the sheet stays pending."""
    sheet = _enter(staff[0], open_a, permissions.roll_entry_of(cast.owner, open_a))
    asked = []

    def refuses(user, asked_sheet):
        asked.append((user, asked_sheet.pk))
        return False

    monkeypatch.setattr(permissions, "can_confirm_paper", refuses)
    with pytest.raises(PermissionDenied, match="另一名工作人员"):
        services.paper_sheet_confirm(actor=staff[1], sheet=sheet)
    assert asked == [(staff[1], sheet.pk)]
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PENDING


def test_only_vote_managers_enter_paper_ballots(cast, open_a):
    entry = permissions.roll_entry_of(cast.owner, open_a)
    for name in ("clerk", "owner", "secretary"):
        with pytest.raises(PermissionDenied):
            _enter(getattr(cast, name), open_a, entry)


def test_paper_ballot_blocks_a_second_online_ballot(cast, staff, open_a):
    _enter(staff[0], open_a, permissions.roll_entry_of(cast.owner, open_a))
    with pytest.raises(services.DuplicateBallot):
        services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="oppose")


def test_rejected_sheet_frees_the_voter(cast, staff, open_a):
    sheet = _enter(staff[0], open_a, permissions.roll_entry_of(cast.owner, open_a))
    with pytest.raises(ValidationError, match="退回原因"):
        services.paper_sheet_reject(actor=staff[1], sheet=sheet, reason="")
    services.paper_sheet_reject(actor=staff[1], sheet=sheet, reason="扫描件无签名")
    assert not Ballot.objects.exists()
    services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="oppose")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ballot.exe", b"MZ....", "只能是 PDF、PNG 或 JPG"),
        ("ballot.pdf", b"\x89PNG....", "内容与文件类型不符"),
        ("ballot.png", PNG_BYTES, None),
        ("ballot.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "不能超过 5 MB"),
    ],
)
def test_scan_type_and_size_are_checked(cast, staff, open_a, name, content, message):
    entry = permissions.roll_entry_of(cast.owner, open_a)
    call = lambda: services.paper_sheet_enter(  # noqa: E731
        actor=staff[0], assembly=open_a, entry=entry, answers={open_a.questions.get(): "agree"},
        scan=scan(name, content),
    )  # fmt: skip
    if message is None:
        assert call().scan.name.endswith(".png")
    else:
        with pytest.raises(ValidationError, match=message):
            call()
        assert not Ballot.objects.exists()


def test_paper_ballot_may_be_spoilt_and_counts_as_participation(cast, staff, open_a):
    sheet = _enter(staff[0], open_a, permissions.roll_entry_of(cast.owner, open_a), choice="spoilt")
    services.paper_sheet_confirm(actor=staff[1], sheet=sheet)
    result = selectors.tally(open_a)[open_a.questions.get().pk]
    assert (result.participating.heads, result.agree.heads, result.spoilt.heads) == (1, 0, 1)


def test_closing_waits_for_pending_paper_ballots(cast, staff, open_a):
    sheet = _enter(staff[0], open_a, permissions.roll_entry_of(cast.owner, open_a))
    with pytest.raises(ValidationError, match="待复核"):
        services.assembly_close(actor=staff[0], assembly=open_a, now=after_close(open_a))
    services.paper_sheet_confirm(actor=staff[1], sheet=sheet, now=after_close(open_a))
    services.assembly_close(actor=staff[0], assembly=open_a, now=after_close(open_a))


def _owners(cast, n):
    return [add_owner(cast.a, "80.00") for _ in range(n)]


def test_proxy_holder_votes_for_the_principal(cast, staff):
    principal = _owners(cast, 1)[0]
    assembly = open_assembly(staff[0], cast.a)
    entry = permissions.roll_entry_of(principal, assembly)
    proxy = services.proxy_register(
        actor=cast.resident,
        assembly=assembly,
        principal=entry,
        holder=cast.resident.person,
        authorisation=scan(),
    )
    # Registered by the holder: it votes once another staff member checked the paper
    # (tests/voting/test_proxy_review.py).
    services.proxy_review(actor=staff[1], proxy=proxy, accept=True)
    ballot = services.ballot_cast(
        actor=cast.resident, question=assembly.questions.get(), choice="agree", proxy=proxy
    )
    assert (ballot.roll_entry, ballot.channel, ballot.proxy) == (entry, "proxy", proxy)
    with pytest.raises(PermissionDenied, match="不在本次表决的业主名册上"):
        services.ballot_cast(actor=cast.resident, question=assembly.questions.get(), choice="agree")


def test_proxy_limit_of_the_compound_is_enforced(cast, staff):
    services.policy_update(actor=staff[0], compound=cast.a, proxy_limit=2)
    principals = _owners(cast, 3)
    assembly = open_assembly(staff[0], cast.a)
    holder = cast.owner.person
    for principal in principals[:2]:
        services.proxy_register(
            actor=staff[0], assembly=assembly, principal=permissions.roll_entry_of(principal, assembly),
            holder=holder, authorisation=scan(),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="每人最多受托代理 2 位业主"):
        services.proxy_register(
            actor=staff[0], assembly=assembly, principal=permissions.roll_entry_of(principals[2], assembly),
            holder=holder, authorisation=scan(),
        )  # fmt: skip
    assert Proxy.objects.count() == 2


def test_proxy_needs_the_holder_or_a_manager_and_a_written_authorisation(cast, staff):
    principal = _owners(cast, 1)[0]
    assembly = open_assembly(staff[0], cast.a)
    entry = permissions.roll_entry_of(principal, assembly)
    with pytest.raises(PermissionDenied):
        services.proxy_register(
            actor=cast.clerk,
            assembly=assembly,
            principal=entry,
            holder=cast.resident.person,
            authorisation=scan(),
        )
    with pytest.raises(ValidationError, match="授权委托书"):
        services.proxy_register(
            actor=cast.resident, assembly=assembly, principal=entry, holder=cast.resident.person,
            authorisation=scan("x.txt", b"hello"),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="不能委托给本人"):
        services.proxy_register(
            actor=principal,
            assembly=assembly,
            principal=entry,
            holder=principal.person,
            authorisation=scan(),
        )
    assert not Proxy.objects.exists()
