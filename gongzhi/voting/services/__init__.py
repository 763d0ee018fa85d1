"""Every write on assemblies, ballots and elections (keyword-only, actor first, audited)."""

from gongzhi.voting.services._common import DuplicateBallot
from gongzhi.voting.services.assemblies import (
    assembly_create,
    assembly_open,
    assembly_publish_roll,
    assembly_update,
    policy_for,
    policy_update,
    question_add,
    question_remove,
    roll_entry_correct,
)
from gongzhi.voting.services.ballots import (
    PROXY_NOT_ACCEPTED,
    ballot_cast,
    ballots_cast,
    paper_sheet_confirm,
    paper_sheet_enter,
    paper_sheet_reject,
    proxy_register,
    proxy_review,
)
from gongzhi.voting.services.elections import (
    candidate_check,
    candidate_nominate,
    election_create,
    election_file,
    election_publish_slate,
    election_start_ballot,
)
from gongzhi.voting.services.reminders import remind_unfiled_elections
from gongzhi.voting.services.results import assembly_close, assembly_publish_result

__all__ = [
    "PROXY_NOT_ACCEPTED",
    "DuplicateBallot",
    "assembly_close",
    "assembly_create",
    "assembly_open",
    "assembly_publish_result",
    "assembly_publish_roll",
    "assembly_update",
    "ballot_cast",
    "ballots_cast",
    "candidate_check",
    "candidate_nominate",
    "election_create",
    "election_file",
    "election_publish_slate",
    "election_start_ballot",
    "paper_sheet_confirm",
    "paper_sheet_enter",
    "paper_sheet_reject",
    "policy_for",
    "policy_update",
    "proxy_register",
    "proxy_review",
    "question_add",
    "question_remove",
    "remind_unfiled_elections",
    "roll_entry_correct",
]
