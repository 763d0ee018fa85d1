"""Owners'-assembly voting and committee elections (DOMAIN.md mechanisms 5 and 6).

The counting rules are :mod:`gongzhi.voting.rules`; these models hold what is counted.
"""

from gongzhi.voting.models.assemblies import (
    Assembly,
    Question,
    RollEntry,
    VotingPolicy,
)
from gongzhi.voting.models.ballots import (
    Ballot,
    BallotApproval,
    BallotStatus,
    Channel,
    PaperSheet,
    Proxy,
    ProxyStatus,
    SheetStatus,
)
from gongzhi.voting.models.elections import (
    Candidate,
    CandidateStatus,
    CommitteeKind,
    Election,
)

__all__ = [
    "Assembly",
    "Ballot",
    "BallotApproval",
    "BallotStatus",
    "Candidate",
    "CandidateStatus",
    "Channel",
    "CommitteeKind",
    "Election",
    "PaperSheet",
    "Proxy",
    "ProxyStatus",
    "Question",
    "RollEntry",
    "SheetStatus",
    "VotingPolicy",
]
