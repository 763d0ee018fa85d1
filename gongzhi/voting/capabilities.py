"""The voting app's capabilities, declared in core's registry; the manifest grants them."""

from enum import StrEnum

from gongzhi.core import capabilities


class VotingCap(StrEnum):
    VOTE = "voting.vote"  # an owner votes in the owners' assembly (业主大会)
    MANAGE_VOTES = "voting.manage"  # open assemblies and elections, the voter roll, proxies


capabilities.declare(VotingCap, app="voting")
