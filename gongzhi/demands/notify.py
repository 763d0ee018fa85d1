"""Notifications about demands, through the notifications app when it is installed.

Services call ``after_commit(...)`` inside their transaction; the demand's id is handed to
the task worker (django-q2, ``deliver_task``) in that same transaction when the queue lives
in this database (an outbox), else once it commits; the worker works out the recipients
from the committed rows and sends; a failing channel never undoes or breaks a filing. ``gongzhi.notifications.services.notify`` is imported lazily; while it does not
exist (or in a deployment without it) sending is a no-op, so demands never depend on it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

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


def _notify_function():
    try:
        from gongzhi.notifications.services import notify
    except ImportError:
        return None
    return notify


def send(
    *,
    recipients: list,
    kind: str,
    params: dict,
    url: str = "",
    obj=None,
    place_path: str = "",
) -> bool:
    """Hand one notification to the notifications app; False when there is none."""
    notify = _notify_function()
    if notify is None or not recipients:
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
    """The demand's page (the UI names it ``demands:detail``), or the conventional path."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("demands:detail", args=[demand_pk])
    except NoReverseMatch:
        return f"/demands/{demand_pk}/"


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
    if _notify_function() is None:
        return
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
# Work out the recipients in the task worker (django-q2), not in the request. Tests may set
# this to False to deliver in the committing process, as the worker would.
IN_WORKER = True


def deliver_task(demand_pk: int, kind: str, audiences, body, extra_person_ids, exclude) -> None:
    """The task worker's entry point: ``deliver`` (a failure is logged, never raised)."""
    try:
        deliver(
            demand_pk,
            kind=kind,
            audiences=tuple(audiences),
            body=body,
            extra_person_ids=tuple(extra_person_ids),
            exclude_account_id=exclude,
        )
    except Exception:  # a notification must never break the change it announces
        logger.exception("notifying %s for demand %s failed", kind, demand_pk)


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
    task worker, which works out the recipients (5 queries) and notifies them.

    When the queue is django-q2's ORM broker on this database (the default), the task row
    is written now, inside the service's transaction (an outbox): the change and its
    notification commit together or not at all, the worker cannot see the task before the
    demand, and the request pays one INSERT and no second commit. Otherwise (another
    broker, a sync cluster running tasks in-process, tests delivering inline) the work is
    handed over by ``transaction.on_commit``."""
    if _notify_function() is None:  # nothing to notify through: not even a task
        return
    args = (
        demand.pk,
        kind,
        tuple(audiences),
        body,
        tuple(extra_person_ids),
        getattr(actor, "pk", None),
    )
    if IN_WORKER and _outbox_in_this_transaction():
        _enqueue(args)
        return

    def _go():
        try:
            if not IN_WORKER:
                deliver_task(*args)
                return
            _enqueue(args)
        except Exception:  # a notification must never break the change it announces
            logger.exception("notifying %s for demand %s failed", args[1], args[0])

    transaction.on_commit(_go)


def _outbox_in_this_transaction() -> bool:
    from django.conf import settings

    from gongzhi.notifications import conf

    cluster = getattr(settings, "Q_CLUSTER", {})
    return (
        not conf.q_sync()
        and cluster.get("orm") == transaction.get_connection().alias
        and transaction.get_connection().in_atomic_block
    )


def _enqueue(args: tuple) -> None:
    from django_q.tasks import async_task

    from gongzhi.notifications import conf

    async_task(
        DELIVER_TASK,
        *args,
        task_name=f"demand-notify-{args[0]}-{args[1]}",
        group="notifications",
        sync=conf.q_sync(),
    )


def register_kinds() -> None:
    try:
        from gongzhi.notifications.kinds import register_kind
    except ImportError:
        return
    for code, label in KINDS.items():
        register_kind(code, label, words=words_for(code))
