"""Pieces every voting service shares: time, errors, uploads, locks and state moves."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import connection
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import uploads
from gongzhi.core.timefmt import local_minute
from gongzhi.voting import rules
from gongzhi.voting.models import Assembly, Election

SCAN_MAX_BYTES = 5 * 1024 * 1024


class DuplicateBallot(ValidationError):
    """The voter already has a ballot on this question (the API answers 409)."""


def moment(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def refuse(message: str, field: str | None = None) -> None:
    raise ValidationError({field: message} if field else message)


def not_found_unless(seen: bool) -> None:
    """404 unless the actor may see the object, as the views' loaders answer
    (permissions.get_*_for): a service is the last gate for whatever calls it, and one who
    may not see an assembly or election learns from it neither that it exists nor more."""
    if not seen:
        raise Http404


def rule_checked(fn, *args, field: str | None = None, **kwargs):
    """Call a rules function; its RuleError becomes a ValidationError with the same message."""
    try:
        return fn(*args, **kwargs)
    except rules.RuleError as exc:
        raise ValidationError({field: exc.message} if field else exc.message) from None


def validate_scan(upload: File | None, field: str, what: str) -> None:
    """A scan or photo of a signed document: PDF, PNG or JPG by name and by content
    (core.uploads: a whole PDF, an image Pillow reads), ≤ 5 MB."""
    if problem := uploads.document_problem(upload, what=what, max_bytes=SCAN_MAX_BYTES):
        refuse(problem, field)


def move_assembly(assembly: Assembly, target: rules.AssemblyState) -> None:
    rule_checked(
        rules.check_move, rules.ASSEMBLY_MOVES, rules.ASSEMBLY_STATE_LABELS, assembly.state, target
    )


def move_election(election: Election, target: rules.ElectionState) -> None:
    rule_checked(
        rules.check_move, rules.ELECTION_MOVES, rules.ELECTION_STATE_LABELS, election.state, target
    )


def lock_assembly(assembly: Assembly) -> Assembly:
    """Lock the assembly row for a state move (waits for ballots in flight), then reload
    the caller's instance so it sees, and carries, the current state."""
    list(Assembly.objects.select_for_update().filter(pk=assembly.pk).values_list("pk"))
    assembly.refresh_from_db()
    return assembly


def lock_election(election: Election) -> Election:
    list(Election.objects.select_for_update().filter(pk=election.pk).values_list("pk"))
    election.refresh_from_db()
    return election


def share_lock_state(assembly_id: int) -> str:
    """The assembly's current state, holding a lock that casting ballots share with each
    other but that closing (``lock_assembly``) must wait for, and the other way round: a
    ballot can never slip in after the count has been taken.

    PostgreSQL: ``FOR KEY SHARE`` (conflicts only with ``FOR UPDATE``). SQLite serialises
    writers on its own.
    """
    with connection.cursor() as cursor:
        suffix = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
        cursor.execute(
            f"SELECT state FROM {Assembly._meta.db_table} WHERE id = %s{suffix}", [assembly_id]
        )
        row = cursor.fetchone()
    if row is None:
        refuse(_("会议不存在。"))

    return row[0]


def fmt_time(value: dt.datetime) -> str:
    return local_minute(value)
