"""Scheduled work: the filing reminder (a plain function; django-q2 runs it daily)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongzhi.audit import services as audit
from gongzhi.core.timefmt import local_day
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.voting import rules
from gongzhi.voting.capabilities import VotingCap
from gongzhi.voting.models import Election


def _notify_managers(election: Election, days: int) -> None:
    """An in-app notification for each vote manager of the compound (notifications app)."""
    from django.urls import reverse

    from gongzhi.notifications.services import notify
    from gongzhi.voting.apps import FILING_REMINDER_KIND
    from gongzhi.voting.selectors import vote_managers_of

    recipients = list(vote_managers_of(election.compound))
    if recipients:
        notify(
            recipients=recipients,
            kind=FILING_REMINDER_KIND,
            params={"title": election.title, "days": days, "compound": election.compound.name},
            url=reverse("voting:election", args=[election.pk]),
            obj=election,
        )


def filing_reminder_words(params) -> tuple[str, str]:
    """The reminder's title and body in the reader's language (notifications.kinds)."""
    days = int(params["days"])
    title = ngettext(
        "%(title)s：结果产生已 %(days)s 天，尚未备案",
        "%(title)s：结果产生已 %(days)s 天，尚未备案",
        days,
    ) % {"title": params["title"], "days": days}
    body = _("请尽快向街道办事处备案，并在平台登记备案文号。（%(compound)s）") % {
        "compound": params["compound"]
    }
    return title, body


def remind_unfiled_elections(now: dt.datetime) -> int:
    """Remind the compound's vote managers of every election counted more than 30 days
    ago and still not filed with the street office. Each election is reminded once: a
    notice on the board for holders of VotingCap.MANAGE_VOTES only, an in-app notification to
    each of them, and an audit event by the system (actor None)."""
    deadline = now - dt.timedelta(days=rules.FILING_DEADLINE_DAYS)
    due = Election.objects.filter(
        state=rules.ElectionState.COUNTED,
        filed_at__isnull=True,
        filing_reminded_at__isnull=True,
        counted_at__lt=deadline,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        with transaction.atomic():
            election = (
                Election.objects.select_for_update(of=("self",))
                .select_related("compound")
                .filter(pk=pk, filing_reminded_at__isnull=True, filed_at__isnull=True)
                .first()
            )
            if election is None:
                continue
            days = (now - election.counted_at).days
            notice_publish(
                actor=None,
                compound=election.compound,
                title=ngettext(
                    "提醒：%(title)s结果产生已 %(days)s 天，尚未向街道办事处备案",
                    "提醒：%(title)s结果产生已 %(days)s 天，尚未向街道办事处备案",
                    days,
                )
                % {"title": election.title, "days": days},
                body=_(
                    "%(committee)s选举结果于 %(counted)s 产生，"
                    "应在 %(deadline)s 日内向街道办事处备案。请尽快办理并在平台登记备案文号。"
                )
                % {
                    "committee": election.committee_label,
                    "counted": local_day(election.counted_at),
                    "deadline": rules.FILING_DEADLINE_DAYS,
                },
                kind=NoticeKind.REMINDER,
                related=election,
                audience_cap=VotingCap.MANAGE_VOTES,
            )
            _notify_managers(election, days)
            election.filing_reminded_at = now
            election.save(update_fields=["filing_reminded_at"])
            audit.record(
                actor=None,
                action="election.filing_reminder",
                obj=election,
                after={"counted_at": election.counted_at, "days": days},
                place_path=election.compound.path,
            )
            reminded += 1
    return reminded
