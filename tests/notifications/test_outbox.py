"""The notification outbox (notifications.outbox) every app uses: the request only
enqueues ids, in the change's own transaction; the worker works out the recipients
(demands: tests/demands/test_notify_worker.py)."""

import pytest

from gongzhi.notifications import outbox


@pytest.fixture
def in_worker(monkeypatch):
    monkeypatch.setattr(outbox, "INLINE", False)


def test_a_failing_task_is_logged_and_never_raised(caplog):
    outbox.run("gongzhi.no_such_module.task", 1)
    assert "outbox task gongzhi.no_such_module.task" in caplog.text


def test_lists_work_out_their_recipients_in_the_worker(cast, in_worker, monkeypatch,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    """lists used to compute recipients in the request, after the commit: now the same
    outbox as demands (the task row in the change's transaction)."""
    from django_q.models import OrmQ

    from gongzhi.lists import notify as list_notify
    from gongzhi.lists import selectors

    asked = []
    monkeypatch.setattr(selectors, "claimer_accounts", lambda wl: asked.append(wl) or [])
    before = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            list_notify.after_commit(
                kind=list_notify.PUBLISHED, work_list_id=1, audience=list_notify.CLAIMERS
            )
    tasks = [q.task for q in OrmQ.objects.order_by("id")[before:]]
    assert [t["args"][:2] for t in tasks] == [(list_notify.DELIVER_TASK, list_notify.PUBLISHED)]
    assert asked == []  # nothing worked out in the request
