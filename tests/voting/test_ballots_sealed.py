"""On PostgreSQL the ballot tables seal themselves once the vote closed: no ballot or
approval of a closed assembly is added, changed or removed, even by raw SQL, and neither
table can be emptied by TRUNCATE (voting migration 0003, audit/sealing.py)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from gongzhi.voting import services
from gongzhi.voting.models import Ballot, BallotApproval
from tests.voting.helpers import add_owner, after_close, open_assembly

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the table triggers exist on PostgreSQL only"
)


def sql(statement: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def assembly(cast, staff):
    assembly = open_assembly(staff[0], cast.a)
    services.ballots_cast(
        actor=cast.owner, assembly=assembly, answers={assembly.questions.get(): "agree"}
    )
    return assembly


def close(assembly, staff):
    services.assembly_close(actor=staff[1], assembly=assembly, now=after_close(assembly))


def test_while_open_a_ballot_row_may_still_change(assembly):
    ballot = Ballot.objects.get(question__assembly=assembly)
    sql("UPDATE voting_ballot SET choice = 'oppose' WHERE id = %s", [ballot.pk])
    ballot.refresh_from_db()
    assert ballot.choice == "oppose"  # 改票 goes through the service; the table allows it


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE voting_ballot SET choice = 'oppose' WHERE id = %s",
        "DELETE FROM voting_ballot WHERE id = %s",
    ],
)
def test_once_closed_no_ballot_changes_or_goes(assembly, staff, statement):
    close(assembly, staff)
    ballot = Ballot.objects.get(question__assembly=assembly)
    with pytest.raises(DatabaseError, match="voting_ballot is sealed"):
        sql(statement, [ballot.pk])
    ballot.refresh_from_db()
    assert ballot.choice == "agree"


def test_once_closed_no_ballot_is_added(assembly, staff, cast):
    close(assembly, staff)
    ballot = Ballot.objects.get(question__assembly=assembly)
    with pytest.raises(DatabaseError, match="voting_ballot is sealed"):
        sql(
            "INSERT INTO voting_ballot (question_id, roll_entry_id, choice, channel, status,"
            " receipt, cast_at) VALUES (%s, %s, 'agree', 'online', 'valid', 'ZZZZZZZZZZ', now())",
            [ballot.question_id, ballot.roll_entry_id],
        )
    assert Ballot.objects.filter(question__assembly=assembly).count() == 1


def test_once_closed_election_approvals_are_sealed_too(cast):
    from tests.voting.test_elections import _ballot, _election, _slate

    worker = cast.community_worker
    owners = [add_owner(cast.b, "100.00") for _ in range(5)]
    election = _election(worker, cast.b)
    slate = _slate(worker, election, [o.person for o in owners])
    assembly = _ballot(worker, election, cast.b)
    question = assembly.questions.get()
    services.ballot_cast(actor=owners[0], question=question, candidates=[slate[0].pk])
    services.assembly_close(actor=worker, assembly=assembly, now=after_close(assembly))
    approval = BallotApproval.objects.get(ballot__question=question)
    with pytest.raises(DatabaseError, match="voting_ballotapproval is sealed"):
        sql("DELETE FROM voting_ballotapproval WHERE id = %s", [approval.pk])
    with pytest.raises(DatabaseError, match="voting_ballotapproval is sealed"):
        sql(
            "UPDATE voting_ballotapproval SET candidate_id = %s WHERE id = %s",
            [slate[1].pk, approval.pk],
        )
    assert BallotApproval.objects.get(pk=approval.pk).candidate_id == slate[0].pk


@pytest.mark.parametrize("table", ["voting_ballot", "voting_ballotapproval"])
def test_truncate_is_refused_whether_open_or_closed(assembly, table):
    with pytest.raises(DatabaseError, match=f"{table} is append-only: TRUNCATE refused"):
        sql(f"SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE {table} CASCADE")
    assert Ballot.objects.filter(question__assembly=assembly).exists()
