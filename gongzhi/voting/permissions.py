"""Who may do what in assemblies and elections: named predicates on core.access.

* Seeing an assembly or election: whoever may see its compound (places.permissions).
* Managing it (drafting, drawing and correcting the roll, opening, closing, publishing,
  nominating on someone's behalf, checking eligibility, filing): VotingCap.MANAGE_VOTES at the
  compound — community staff and owners' committee chairs.
* Voting: being on the assembly's frozen roll (as the designated voter), or holding a
  registered proxy for someone who is. The roll, not today's ownership, decides.
* Paper ballots: entered by a manager and confirmed by a *different* manager.
* Choices: no page shows who voted how. A voter sees their own ballots; anyone, a
  counted ballot's choice by its receipt (the published list has no names); the audit log
  that a ballot was cast, never its choice (services.ballots, docs/voting.md).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongzhi.core import access
from gongzhi.places.models import Compound
from gongzhi.places.permissions import can_view_place
from gongzhi.voting.capabilities import VotingCap
from gongzhi.voting.models import (
    Assembly,
    Candidate,
    Election,
    PaperSheet,
    Proxy,
    ProxyStatus,
    RollEntry,
)

BRANCH_LEAD_POSTS = frozenset({"secretary", "deputy_secretary"})


def _person_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.person_id


def can_view_compound_votes(user, compound: Compound) -> bool:
    return can_view_place(user, compound.path)


def can_view_assembly(user, assembly: Assembly) -> bool:
    """Whoever may see the compound, and a proxy holder from elsewhere."""
    if can_view_place(user, assembly.compound.path):
        return True
    person_id = _person_id(user)
    return (
        person_id is not None
        and Proxy.objects.filter(assembly_id=assembly.pk, holder_id=person_id)
        .exclude(status=ProxyStatus.REJECTED)
        .exists()
    )


def can_manage_votes(user, compound: Compound) -> bool:
    return access.allows(user, VotingCap.MANAGE_VOTES, compound.path)


def can_manage_assembly(user, assembly: Assembly) -> bool:
    return can_manage_votes(user, assembly.compound)


def roll_entry_of(user, assembly: Assembly) -> RollEntry | None:
    """The user's own entry on the assembly's frozen roll, if any."""
    person_id = _person_id(user)
    if person_id is None:
        return None
    return RollEntry.objects.filter(assembly=assembly, person_id=person_id).first()


def can_vote(user, assembly: Assembly) -> bool:
    """On the frozen roll as a designated voter."""
    return roll_entry_of(user, assembly) is not None


def holds_proxy(user, proxy: Proxy) -> bool:
    """The holder named by the proxy (whatever its review): sees it and its file."""
    person_id = _person_id(user)
    return person_id is not None and proxy.holder_id == person_id


def can_vote_as_proxy(user, proxy: Proxy) -> bool:
    """The holder of a proxy staff have accepted: only then does it vote."""
    return holds_proxy(user, proxy) and proxy.status == ProxyStatus.ACCEPTED


def can_review_proxy(user, proxy: Proxy) -> bool:
    """A vote manager who is not the holder: nobody checks their own authorisation."""
    return can_manage_assembly(user, proxy.assembly) and not holds_proxy(user, proxy)


def can_register_proxy(user, assembly: Assembly, holder_id: int) -> bool:
    """The holder registers their own authorisation; a manager may register anyone's.
    Either sees the compound itself: a proxy one holds (can_view_assembly) does not count."""
    return can_view_compound_votes(user, assembly.compound) and (
        can_manage_assembly(user, assembly)
        or (_person_id(user) is not None and _person_id(user) == holder_id)
    )


def can_enter_paper(user, assembly: Assembly) -> bool:
    return can_manage_assembly(user, assembly)


def can_confirm_paper(user, sheet: PaperSheet) -> bool:
    """A second staff member: a manager who did not enter the sheet."""
    return (
        can_manage_assembly(user, sheet.assembly)
        and getattr(user, "pk", None) is not None
        and sheet.entered_by_id != user.pk
    )


def can_see_full_roll(user, assembly: Assembly) -> bool:
    """The whole roll with names: managers. Everyone else sees their own entry only."""
    return can_manage_assembly(user, assembly)


# --------------------------------------------------------------------------- elections


def can_view_election(user, election: Election) -> bool:
    return can_view_place(user, election.compound.path)


def can_manage_election(user, election: Election) -> bool:
    return can_manage_votes(user, election.compound)


def is_branch_lead(user, compound: Compound) -> bool:
    """Secretary or deputy of the compound's party branch: may recommend candidates."""
    return access.is_superuser(user) or any(
        g.kind == "compound_party_branch"
        and g.post in BRANCH_LEAD_POSTS
        and compound.path.startswith(g.path)
        for g in access.grants_for(user)
    )


def can_nominate_self(user, election: Election, person_id: int) -> bool:
    """The person themselves, or a manager entering their signed form: both see the
    election's compound."""
    return can_view_election(user, election) and (
        can_manage_election(user, election)
        or (_person_id(user) is not None and _person_id(user) == person_id)
    )


def can_nominate_jointly(user, election: Election, nominator_ids: set[int]) -> bool:
    """A manager entering a signed form, or one of the nominators submitting it: both see
    the election's compound."""
    return can_view_election(user, election) and (
        can_manage_election(user, election) or _person_id(user) in nominator_ids
    )


def can_check_candidate(user, candidate: Candidate) -> bool:
    return can_manage_election(user, candidate.election)


# --------------------------------------------------------------------------- loaders (404)


def get_assembly_for(user, pk: int, *, manage: bool = False) -> Assembly:
    """The assembly if ``user`` may see it (or manage it); 404 otherwise, so nothing leaks."""
    assembly = get_object_or_404(Assembly.objects.select_related("compound"), pk=pk)
    if not can_view_assembly(user, assembly):
        raise Http404
    if manage:
        access.ensure(
            can_manage_assembly(user, assembly), _("只有社区或业委会负责表决的人员可以操作。")
        )
    return assembly


def get_election_for(user, pk: int, *, manage: bool = False) -> Election:
    election = get_object_or_404(Election.objects.select_related("compound"), pk=pk)
    if not can_view_election(user, election):
        raise Http404
    if manage:
        access.ensure(
            can_manage_election(user, election), _("只有社区或业委会负责选举的人员可以操作。")
        )
    return election


def get_sheet_for(user, pk: int) -> PaperSheet:
    sheet = get_object_or_404(
        PaperSheet.objects.select_related("assembly__compound", "roll_entry__person"), pk=pk
    )
    if not can_view_assembly(user, sheet.assembly):
        raise Http404
    access.ensure(
        can_manage_assembly(user, sheet.assembly),
        _("只有负责表决的工作人员可以查看纸质表决票。"),
    )
    return sheet


def get_roll_entry_for(user, pk: int) -> RollEntry:
    entry = get_object_or_404(
        RollEntry.objects.select_related("assembly__compound", "person"), pk=pk
    )
    if not can_view_assembly(user, entry.assembly):
        raise Http404
    access.ensure(
        can_manage_assembly(user, entry.assembly), _("只有负责表决的工作人员可以更正名册。")
    )

    return entry


def get_candidate_for(user, pk: int) -> Candidate:
    candidate = get_object_or_404(
        Candidate.objects.select_related("election__compound", "person"), pk=pk
    )
    if not can_view_election(user, candidate.election):
        raise Http404
    return candidate
