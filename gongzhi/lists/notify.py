"""Notifications about lists, sent through gongzhi.notifications once the change commits.

Services call ``after_commit(...)`` inside their transaction; recipients are worked out
from the committed rows when the callback runs, and a failure is logged, never raised
(a notification must not break the change it announces).

* A list published: its eligible claimers (partner-unit liaisons over the place and the
  community's 双报到 members) — 清单发布与认领.
* An item claimed, given back or finished: the list's owners (its compiler and the staff
  over its place).
* An item dropped while claimed: its claimant.
"""

from __future__ import annotations

import logging

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongzhi.lists.rules import ListKind
from gongzhi.notifications import outbox

logger = logging.getLogger("gongzhi.lists")

PUBLISHED = "lists.published"
CLAIMED = "lists.item_claimed"
RELEASED = "lists.item_released"
DONE = "lists.item_done"
DROPPED = "lists.item_dropped"

KINDS = {
    PUBLISHED: _("清单发布待认领"),
    CLAIMED: _("清单事项被认领"),
    RELEASED: _("清单事项退回认领"),
    DONE: _("清单事项已办结"),
    DROPPED: _("认领的清单事项不再办理"),
}

OWNERS = "owners"
CLAIMERS = "claimers"
CLAIMANT = "claimant"


def register_kinds() -> None:
    from gongzhi.notifications.kinds import register_kind

    for code, label in KINDS.items():
        register_kind(code, label, words=_words_for(code))


def _words_for(kind: str):
    return lambda params: _words(kind, params)


def _words(kind: str, p) -> tuple[str, str]:
    """Title and body of a list notification in the active language, from its params."""
    if kind == PUBLISHED:
        title = gettext("%(where)s发布了%(kind)s:%(title)s") % {
            "where": p["where"],
            "kind": ListKind(p["list_kind"]).label,
            "title": p["list_title"],
        }
        return title, gettext("清单已发布,共建单位和双报到党员可以认领事项。")
    label = gettext("第%(n)s项 %(title)s") % {"n": p["number"], "title": p["item_title"]}
    claimant = p.get("claimant", "")
    if kind == CLAIMED:
        title, body = gettext("%(who)s认领了清单事项") % {"who": claimant}, label
    elif kind == RELEASED:
        title = gettext("清单事项被退回认领,待重新认领")
        body = gettext("%(item)s(%(reason)s)") % {"item": label, "reason": p.get("reason", "")}
    elif kind == DONE:
        title = (
            gettext("清单事项已办结(%(who)s)") % {"who": claimant}
            if claimant
            else gettext("清单事项已办结")
        )
        body = label
    else:
        title = gettext("您认领的清单事项不再办理")
        body = gettext("%(item)s:%(reason)s") % {"item": label, "reason": p.get("reason", "")}
    return gettext("%(where)s · %(title)s") % {"where": p["where"], "title": title}, body


def _params(kind: str, work_list, item, claim) -> tuple[dict, str]:
    """The values a list notification is worded from, and its link."""
    params = {"where": work_list.place_name}
    if kind == PUBLISHED:
        params.update(list_kind=work_list.kind, list_title=work_list.title)
        return params, reverse("lists:detail", args=[work_list.pk])
    params.update(
        number=item.number,
        item_title=item.title,
        claimant=claim.claimant_name if claim is not None else "",
    )
    if kind == RELEASED:
        params["reason"] = claim.release_reason
    elif kind == DROPPED:
        params["reason"] = item.dropped_reason
    return params, reverse("lists:item", args=[item.pk])


def deliver(
    *, kind: str, work_list_id: int, item_id, audience: str, exclude_account_id, claim_id
) -> None:
    from gongzhi.lists import selectors
    from gongzhi.lists.models import ItemClaim, ListItem, WorkList
    from gongzhi.notifications.services import notify

    work_list = WorkList.objects.select_related("compound", "community").get(pk=work_list_id)
    item = ListItem.objects.get(pk=item_id) if item_id else None
    claim = None
    if claim_id:
        claim = ItemClaim.objects.select_related("body", "person").get(pk=claim_id)
    elif item is not None:
        claim = (
            ItemClaim.objects.filter(item=item)
            .select_related("body", "person")
            .order_by("-claimed_at", "-id")
            .first()
        )
    if audience == OWNERS:
        recipients = selectors.owner_accounts(work_list)
    elif audience == CLAIMERS:
        recipients = selectors.claimer_accounts(work_list)
    elif audience == CLAIMANT:
        recipients = selectors.claimant_accounts(claim) if claim is not None else []
    else:
        raise ValueError(f"unknown audience {audience!r}")
    recipients = [a for a in recipients if a.pk != exclude_account_id]
    if not recipients:
        return
    params, url = _params(kind, work_list, item, claim)
    notify(
        recipients=recipients,
        kind=kind,
        params=params,
        url=url,
        obj=item if item is not None else work_list,
        place_path=work_list.place_path,
    )


DELIVER_TASK = "gongzhi.lists.notify.deliver_task"


def deliver_task(kind, work_list_id, item_id, audience, exclude_account_id, claim_id) -> None:
    """The task worker's entry point (through the outbox, which logs a failure)."""
    deliver(
        kind=kind,
        work_list_id=work_list_id,
        item_id=item_id,
        audience=audience,
        exclude_account_id=exclude_account_id,
        claim_id=claim_id,
    )


def after_commit(
    *,
    kind: str,
    work_list_id: int,
    audience: str,
    actor=None,
    item_id: int | None = None,
    claim_id: int | None = None,
) -> None:
    """Notify once the current transaction commits: the ids go to the task worker through
    the outbox, which works out the recipients there (not in the request)."""
    outbox.later(
        DELIVER_TASK, kind, work_list_id, item_id, audience, getattr(actor, "pk", None),
        claim_id, name=f"list-notify-{work_list_id}-{kind}",
    )  # fmt: skip
