"""The published ballot list and its hash (voting.ledger, pure): docs/voting.md's definition."""

from __future__ import annotations

import hashlib

from gongzhi.voting import ledger
from gongzhi.voting.ledger import Line


def test_ledger_lines_sorted_by_receipt_tab_separated_newline_terminated():
    lines = [
        Line("ZZZZZ00000", 1, "agree"),
        Line("0000000001", 2, "1,3"),
        Line("AAAAA11111", 1, "-"),
    ]
    assert (
        ledger.ledger_text(lines) == "0000000001\t2\t1,3\nAAAAA11111\t1\t-\nZZZZZ00000\t1\tagree\n"
    )


def test_hash_is_sha256_of_the_utf8_text():
    lines = [Line("AB12CD34EF", 1, "agree")]
    assert ledger.ledger_hash(lines) == hashlib.sha256(b"AB12CD34EF\t1\tagree\n").hexdigest()
    assert ledger.ledger_hash([]) == hashlib.sha256(b"").hexdigest()


def test_order_of_input_does_not_change_the_hash():
    a = [Line("B000000000", 1, "oppose"), Line("A000000000", 1, "agree")]
    assert ledger.ledger_hash(a) == ledger.ledger_hash(list(reversed(a)))


def test_changing_one_choice_changes_the_hash():
    a = [Line("B000000000", 1, "oppose"), Line("A000000000", 1, "agree")]
    b = [Line("B000000000", 1, "agree"), Line("A000000000", 1, "agree")]
    assert ledger.ledger_hash(a) != ledger.ledger_hash(b)


def test_election_choice_is_ascending_numbers_or_dash():
    assert ledger.approval_choice([7, 2, 5]) == "2,5,7"
    assert ledger.approval_choice([]) == "-"


def test_receipts_are_ten_crockford_characters_and_differ():
    receipts = {ledger.new_receipt() for _ in range(200)}
    assert len(receipts) == 200
    assert all(len(r) == 10 and set(r) <= set(ledger.RECEIPT_ALPHABET) for r in receipts)


def test_typed_receipt_is_normalised():
    assert ledger.normalise_receipt(" ab12o-cd3il ") == "AB120CD311"
    assert ledger.normalise_receipt("short") is None
    assert ledger.normalise_receipt("") is None


def test_published_text_parses_back():
    lines = [Line("A000000000", 1, "agree"), Line("B000000000", 2, "1,2")]
    assert ledger.parse_ledger(ledger.ledger_text(lines)) == lines
