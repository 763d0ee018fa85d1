"""Closing publishes the tally and the SHA-256 of the ballot list; the result explains
itself, is posted as a notice with a PDF, and any receipt can be checked."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gongzhi.audit import sealing
from gongzhi.audit.models import AuditEvent
from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.voting import ledger, rules, selectors, services
from gongzhi.voting.models import Ballot
from gongzhi.voting.pdf import result_pdf
from gongzhi.voting.report import result_text
from tests.voting.helpers import add_owner, after_close, open_assembly

ELEVATOR = (
    ("使用维修资金更换电梯", "use_maintenance_fund"),
    ("筹集维修资金", "raise_maintenance_fund"),
)
VERIFY = "https://gongzhi.example/verify/abc/"


@pytest.fixture
def closed(cast, staff):
    """Four owners (cast.owner and three more); three vote agree/oppose on two questions."""
    others = [add_owner(cast.a, area) for area in ("76.43", "120.00", "95.10")]
    assembly = open_assembly(staff[0], cast.a, ELEVATOR)
    q1, q2 = assembly.questions.order_by("position")
    receipts = {}
    for voter, choices in (
        (cast.owner, ("agree", "agree")),
        (others[0], ("agree", "oppose")),
        (others[1], ("oppose", "abstain")),
    ):
        ballots = services.ballots_cast(
            actor=voter, assembly=assembly, answers={q1: choices[0], q2: choices[1]}
        )
        receipts[voter.pk] = [b.receipt for b in ballots]
    services.assembly_close(actor=staff[1], assembly=assembly, now=after_close(assembly))
    assembly.receipts = receipts
    return assembly


def test_closing_stores_the_tally_of_every_question(closed):
    q1, q2 = closed.questions.order_by("position")
    assert q1.result["participating"] == {"area": "286.00", "heads": 3}
    assert q1.result["total"] == {"area": "381.10", "heads": 4}
    assert q1.result["quorum_met"] is True
    assert q1.passed is True  # 2 of 3 heads, 166.00 of 286.00 m²: more than half of each
    assert q2.passed is False  # raising funds needs 3/4
    assert q2.result["threshold"] == rules.SUPERMAJORITY.description


def test_published_hash_is_the_sha256_of_the_canonical_list(closed):
    lines = []
    for b in Ballot.objects.filter(question__assembly=closed).select_related("question"):
        lines.append(f"{b.receipt}\t{b.question.position}\t{b.choice}\n")
    text = "".join(sorted(lines))
    assert closed.ballots_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert closed.ballots_count == 6
    assert (
        AuditEvent.objects.get(action="assembly.close").after["ballots_hash"] == closed.ballots_hash
    )


def test_altering_one_ballot_after_closing_is_detected(client, cast, closed):
    assert selectors.check_ledger(closed).matches
    ballot = Ballot.objects.filter(question__assembly=closed, choice="oppose").first()
    # Tampering behind the platform's back, by someone who owns the tables: on PostgreSQL
    # they must first lift the seal (which is itself visible in the schema).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sealing.UNSEAL)
        Ballot.objects.filter(pk=ballot.pk).update(choice="agree")
        if connection.vendor == "postgresql":
            cursor.execute(sealing.RESEAL)
    check = selectors.check_ledger(closed)
    assert not check.matches
    assert check.recomputed != closed.ballots_hash
    client.force_login(cast.owner)
    page = client.get(f"/assemblies/{closed.pk}/result").content.decode()
    assert "核验失败" in page
    verify = client.get(f"/verify/{closed.public_code}/").content.decode()
    assert "不一致" in verify
    with pytest.raises(ValidationError, match="哈希不一致"):
        services.assembly_publish_result(
            actor=cast.owners_chair, assembly=closed, verify_url=VERIFY
        )


def test_receipt_lookup_reveals_only_that_ballots_question_and_choice(cast, closed):
    r1, r2 = closed.receipts[cast.owner.pk]
    match = selectors.find_receipt(closed, r2)
    assert (match.question.position, match.choice, match.choice_label) == (2, "agree", "同意")
    assert selectors.find_receipt(closed, "0000000000") is None


def test_ballots_cannot_be_cast_after_closing(cast, closed):
    with pytest.raises(ValidationError, match="不接受投票"):
        services.ballot_cast(actor=cast.owner, question=closed.questions.first(), choice="agree")


def test_result_explains_itself(closed):
    text = result_text(closed, VERIFY)
    for expected in (
        "全体业主：面积 381.10（100.00%），人数 4（100.00%）",
        "参与表决：面积 286.00（75.04%），人数 3（75.00%）",
        "同意：面积 166.00（58.04%），人数 2（66.66%）",
        rules.QUORUM.description + "——已达到",
        rules.SUPERMAJORITY.description,
        "事项通过",
        "事项未通过",
        closed.ballots_hash,
        VERIFY,
    ):
        assert expected in text, expected


def test_result_pdf_is_a_pdf_with_the_qr_code(closed):
    pdf = result_pdf(closed, verify_url=VERIFY)
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf
    assert b"STSong-Light" in pdf


def test_publishing_posts_the_result_notice_with_the_pdf(cast, closed):
    services.assembly_publish_result(actor=cast.owners_chair, assembly=closed, verify_url=VERIFY)
    assert closed.state == rules.AssemblyState.RESULT_PUBLISHED
    notice = Notice.objects.get(kind=NoticeKind.VOTE_RESULT)
    assert closed.result_notice == notice and notice.pinned
    assert notice.related_type == "voting.assembly" and notice.related_id == str(closed.pk)
    assert notice.attachment.read().startswith(b"%PDF")
    assert closed.ballots_hash in notice.body


def test_recount_from_the_published_list_matches(closed):
    text = ledger.ledger_text(selectors.ledger_lines(closed))
    assert ledger.ledger_hash(ledger.parse_ledger(text)) == closed.ballots_hash


def test_result_notice_gives_the_closing_time_in_the_readers_zone(closed):
    """Closing at 23:45 UTC is 07:45 the next day in Asia/Shanghai, as the result page says."""
    closed.closed_at = dt.datetime(2026, 10, 29, 23, 45, tzinfo=dt.UTC)
    assert "于 2026-10-30 07:45 结束表决" in result_text(closed, VERIFY)
