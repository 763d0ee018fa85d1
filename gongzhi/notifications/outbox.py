"""The notification outbox every app uses: work that follows a change (telling people
about it) runs in the task worker, and only if the change commits.

``later("gongzhi.demands.notify.deliver_task", demand.pk, ...)`` inside a service's
transaction:

- with django-q2's ORM broker on this database (the default), the task row is written
  now, in the change's own transaction: the change and its notification commit together
  or not at all, the worker cannot see the task before the change, and the request pays
  one INSERT and no second commit;
- otherwise (another broker, a sync cluster) the task is handed over by
  ``transaction.on_commit``;
- with ``INLINE`` (tests), the task runs in this process once the transaction commits.

Recipients are worked out in the task, not in the request. A task's failure is logged and
never breaks the change it announces (``run``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

RUN_TASK = "gongzhi.notifications.outbox.run"
# Tests set this to True to run the tasks in the committing process, as the worker would.
INLINE = False


def run(task_path: str, *args) -> None:
    """The worker's entry point: call ``task_path(*args)``; log a failure, never raise."""
    try:
        import_string(task_path)(*args)
    except Exception:  # a notification must never break the change it announces
        logger.exception("outbox task %s%r failed", task_path, args)


def later(task_path: str, *args, name: str = "") -> None:
    """Run ``task_path(*args)`` in the worker once the current transaction commits."""
    if INLINE:
        transaction.on_commit(lambda: run(task_path, *args))
        return
    if _outbox_in_this_transaction():
        _enqueue(task_path, args, name)
        return

    def enqueue() -> None:
        try:
            _enqueue(task_path, args, name)
        except Exception:
            logger.exception("queueing %s%r failed", task_path, args)

    transaction.on_commit(enqueue)


def _outbox_in_this_transaction() -> bool:
    from django.conf import settings

    from gongzhi.notifications import conf

    connection = transaction.get_connection()
    return (
        not conf.q_sync()
        and getattr(settings, "Q_CLUSTER", {}).get("orm") == connection.alias
        and connection.in_atomic_block
    )


def _enqueue(task_path: str, args: tuple, name: str) -> None:
    from django_q.tasks import async_task

    from gongzhi.notifications import conf

    async_task(
        RUN_TASK,
        task_path,
        *args,
        task_name=name or task_path.rsplit(".", 1)[-1],
        group="notifications",
        sync=conf.q_sync(),
    )
