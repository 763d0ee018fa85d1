"""One ballot per voter per question holds under concurrent requests (PostgreSQL only:
SQLite serialises writers, so there is no race to test)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from gongzhi.voting import services
from gongzhi.voting.models import Ballot
from tests.cast import build_cast
from tests.voting.helpers import open_assembly

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"
)


def _fire(cast, question, choices):
    """Cast ``choices`` for cast.owner at once from separate threads (own connections)."""
    barrier = threading.Barrier(len(choices))
    outcomes: list[str] = []
    lock = threading.Lock()

    def cast_once(choice):
        try:
            barrier.wait()
            services.ballot_cast(actor=cast.owner, question=question, choice=choice)
            result = "created"
        except services.DuplicateBallot:
            result = "duplicate"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=cast_once, args=(c,)) for c in choices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_when_allowed_keep_one_ballot_and_no_error():
    cast = build_cast()
    services.policy_update(actor=cast.community_worker, compound=cast.a, allow_vote_change=True)
    assembly = open_assembly(cast.community_worker, cast.a)
    question = assembly.questions.get()
    outcomes = _fire(cast, question, ["agree", "oppose"] * 5)
    assert set(outcomes) == {"created"}
    assert Ballot.objects.filter(question=question).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_casts_for_one_voter_make_exactly_one_ballot():
    cast = build_cast()
    assembly = open_assembly(cast.community_worker, cast.a)
    question = assembly.questions.get()
    outcomes = _fire(cast, question, ["agree"] * 10)
    assert sorted(outcomes) == ["created"] + ["duplicate"] * 9
    assert Ballot.objects.filter(question=question).count() == 1
