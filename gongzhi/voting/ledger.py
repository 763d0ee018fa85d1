"""The published ballot list and its hash: pure functions, no Django.

At closing the platform publishes, for every counted ballot, one line
``RECEIPT<TAB>QUESTION<TAB>CHOICE`` and the SHA-256 of the whole list; anyone can
recompute the hash from the list (docs/voting.md, "公布的选票清单与哈希"):

* ``RECEIPT``: the ballot's receipt code, 10 characters of Crockford base32
  (``0-9`` and ``A-Z`` without ``I L O U``), upper case;
* ``QUESTION``: the question's number in the assembly (1, 2, …), in decimal;
* ``CHOICE``: for a decision ``agree``, ``oppose``, ``abstain`` or ``spoilt``; for an
  election the approved candidates' ballot numbers in increasing order joined by ``,``
  (``2,5,7``), ``-`` for a ballot approving nobody, ``spoilt`` for a spoilt paper ballot.

Lines end with ``\\n`` (the last one too), are sorted by receipt (receipts are unique
and ASCII, so this is plain byte order), and the text is encoded as UTF-8. The hash is
the lower-case hex SHA-256 of those bytes; an assembly without ballots hashes the empty
string.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
RECEIPT_LENGTH = 10  # 50 random bits
_RECEIPT_RE = re.compile(f"[{RECEIPT_ALPHABET}]{{{RECEIPT_LENGTH}}}")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
EMPTY_APPROVAL = "-"
SPOILT = "spoilt"


def new_receipt() -> str:
    """A fresh, unguessable receipt code (10 characters, 50 random bits)."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt(text: str) -> str | None:
    """What a person typed → a receipt code, or ``None`` if it cannot be one.

    Spaces and hyphens are dropped, case is ignored, and the letters Crockford base32
    leaves out are read as what they are mistaken for (O→0, I/L→1).
    """
    cleaned = re.sub(r"[\s\-]", "", text or "").upper().translate(_CONFUSABLE)
    return cleaned if _RECEIPT_RE.fullmatch(cleaned) else None


def format_receipt(receipt: str) -> str:
    """``ABCDE12345`` → ``ABCDE-12345`` for reading aloud and printing."""
    return f"{receipt[:5]}-{receipt[5:]}" if len(receipt) == RECEIPT_LENGTH else receipt


def approval_choice(numbers: Iterable[int]) -> str:
    """An election ballot's CHOICE: ballot numbers ascending, ``-`` when empty."""
    ordered = sorted(numbers)
    return ",".join(str(n) for n in ordered) if ordered else EMPTY_APPROVAL


@dataclass(frozen=True, slots=True, order=True)
class Line:
    receipt: str
    question: int
    choice: str

    def text(self) -> str:
        return f"{self.receipt}\t{self.question}\t{self.choice}\n"


def ledger_text(lines: Iterable[Line]) -> str:
    """The canonical published list: one line per counted ballot, sorted by receipt."""
    ordered = sorted(lines, key=lambda line: line.receipt)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.receipt == after.receipt:
            raise ValueError(f"duplicate receipt {before.receipt}")
    return "".join(line.text() for line in ordered)


def ledger_hash(lines: Iterable[Line]) -> str:
    """Lower-case hex SHA-256 of :func:`ledger_text` encoded as UTF-8."""
    return hashlib.sha256(ledger_text(lines).encode("utf-8")).hexdigest()


def parse_ledger(text: str) -> list[Line]:
    """The published list back into lines (for recounts and tests)."""
    lines = []
    for raw in text.splitlines():
        receipt, question, choice = raw.split("\t")
        lines.append(Line(receipt, int(question), choice))
    return lines
