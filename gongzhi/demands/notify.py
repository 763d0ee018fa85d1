"""Notifications about demands, through the notifications app.

Services call ``after_commit(...)`` inside their transaction; the demand's id goes through
the notification outbox (``gongzhi.notifications.outbox.later``) to the task worker,
which works out the recipients from the committed rows and sends (``deliver_task``); a
failing channel never undoes or breaks a filing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.utils.translation import gettext, gettext_lazy

from gongzhi.notifications import outbox

logger = logging.getLogger("gongzhi.demands")

# Kinds of notification this app sends (registered with the notifications app if present).
KINDS: dict[str, str] = {
    "demand.filed": gettext_lazy("新诉求待派单"),
    "demand.dispatched": gettext_lazy("诉求派单"),
    "demand.returned": gettext_lazy("诉求被退回"),
    "demand.whistled": gettext_lazy("吹哨报到"),
    "demand.escalated": gettext_lazy("诉求超时升级"),
    "demand.reported_in": gettext_lazy("已报到"),
    "demand.accepted": gettext_lazy("诉求已接单"),
    "demand.resolved": gettext_lazy("诉求已办结待评价"),
    "demand.rectification": gettext_lazy("诉求需整改"),
    "demand.feedback": gettext_lazy("诉求反馈"),
    "demand.closed": gettext_lazy("诉求已总结关闭"),
    "demand.merged": gettext_lazy("诉求已合并"),
    "demand.withdrawn": gettext_lazy("诉求已撤回"),
}


def words_for(kind: str):
    """The wording of a demand notification: what happened and where, then the text (the
    resident's description or the handler's words, kept as written)."""

    def words(params) -> tuple[str, str]:
        title = gettext("%(what)s:%(compound)s") % {
            "what": KINDS.get(kind, gettext("诉求动态")),
            "compound": params["compound"],
        }
        return title, params.get("text", "")

    return words


# Audiences: who hears about a demand (see selectors.accounts_*).
FOLLOWERS = "followers"  # the reporter and followers
HANDLERS = "handlers"  # the current handler body's members and the handler person
DISPATCHERS = "dispatchers"  # branch secretary, grid worker, community staff over the place


def send(
    *,
    recipients: list,
    kind: str,
    params: dict,
    url: str = "",
    obj=None,
    place_path: str = "",
) -> bool:
    """Hand one notification to the notifications app; False when there is no one to tell."""
    from gongzhi.notifications.services import notify

    if not recipients:
        return False
    notify(
        recipients=recipients,
        kind=kind,
        params=params,
        url=url,
        obj=obj,
        place_path=place_path,
    )
    return True


def demand_url(demand_pk: int) -> str:
    """The demand's page, ``demands:detail``. A name that does not resolve raises
    ``NoReverseMatch``: no notification goes out with a link to a page that is not there."""
    from django.urls import reverse

    return reverse("demands:detail", args=[demand_pk])


def recipients_for(demand, audiences: Iterable[str], *, exclude_account_id=None) -> list:
    from gongzhi.demands import selectors

    found: dict[int, object] = {}
    for audience in audiences:
        if audience == FOLLOWERS:
            accounts = selectors.accounts_following(demand)
        elif audience == HANDLERS:
            accounts = selectors.accounts_handling(demand)
        elif audience == DISPATCHERS:
            accounts = selectors.accounts_dispatching(demand)
        else:
            raise ValueError(f"unknown audience {audience!r}")
        for account in accounts:
            found.setdefault(account.pk, account)
    found.pop(exclude_account_id, None)
    return list(found.values())


def deliver(
    demand_pk: int,
    *,
    kind: str,
    audiences: Iterable[str],
    body: str = "",
    extra_person_ids: Iterable[int] = (),
    exclude_account_id=None,
) -> None:
    """Work out who to tell about ``demand_pk`` now and tell them (runs after commit)."""
    from gongzhi.demands.models import Demand
    from gongzhi.demands.selectors import _accounts_of_persons

    demand = Demand.objects.select_related("compound").filter(pk=demand_pk).first()
    if demand is None:
        return
    recipients = recipients_for(demand, audiences, exclude_account_id=exclude_account_id)
    seen = {a.pk for a in recipients}
    recipients += [a for a in _accounts_of_persons(extra_person_ids) if a.pk not in seen]
    send(
        recipients=recipients,
        kind=kind,
        params={"compound": demand.compound.name, "text": body or demand.description[:80]},
        url=demand_url(demand.pk),
        obj=demand,
        place_path=demand.place_path,
    )


DELIVER_TASK = "gongzhi.demands.notify.deliver_task"


def deliver_task(demand_pk: int, kind: str, audiences, body, extra_person_ids, exclude) -> None:
    """The task worker's entry point (through the outbox, which logs a failure)."""
    deliver(
        demand_pk,
        kind=kind,
        audiences=tuple(audiences),
        body=body,
        extra_person_ids=tuple(extra_person_ids),
        exclude_account_id=exclude,
    )


def after_commit(
    demand,
    *,
    kind: str,
    audiences: Iterable[str],
    body: str = "",
    extra_person_ids: Iterable[int] = (),
    actor=None,
) -> None:
    """Notify about ``demand`` once the current transaction commits: its id goes to the
    task worker through the outbox, which works out the recipients (5 queries)."""
    outbox.later(
        DELIVER_TASK,
        demand.pk,
        kind,
        list(audiences),
        body,
        list(extra_person_ids),
        getattr(actor, "pk", None),
        name=f"demand-notify-{demand.pk}-{kind}",
    )


def register_kinds() -> None:
    from gongzhi.notifications.kinds import register_kind

    for code, label in KINDS.items():
        register_kind(code, label, words=words_for(code))
