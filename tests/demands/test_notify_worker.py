"""Demand notifications go through the outbox (notifications.outbox) to the task worker:
the request only enqueues the demand's id, in the change's own transaction."""

import pytest

from gongzhi.demands import notify, services
from gongzhi.notifications import outbox


@pytest.fixture
def in_worker(monkeypatch):
    monkeypatch.setattr(outbox, "INLINE", False)


def test_the_request_only_enqueues_the_fan_out(cast, file_demand, notified, in_worker,
                                               django_capture_on_commit_callbacks):  # fmt: skip
    from django_q.models import OrmQ

    d = file_demand()
    before = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    assert notified == []  # nothing worked out in the request
    tasks = [q.task for q in OrmQ.objects.order_by("id")[before:]]
    assert tasks and all(
        t["func"] == outbox.RUN_TASK and t["args"][:2] == (notify.DELIVER_TASK, d.pk) for t in tasks
    )
    # the worker's runs of those tasks tell the handlers
    from django.utils.module_loading import import_string

    for task in tasks:
        import_string(task["func"])(*task["args"], **task["kwargs"])
    assert "demand.dispatched" in [c["kind"] for c in notified]
    assert all(c["obj"] == d for c in notified)


def test_a_sync_cluster_delivers_on_commit(cast, file_demand, notified, in_worker, settings,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    d = file_demand()
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    assert "demand.dispatched" in [c["kind"] for c in notified]


def test_the_task_is_written_in_the_changes_own_transaction(cast, file_demand, in_worker,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    """An outbox: with the queue in this database the task row is part of the change, so
    they commit together, and a change that is rolled back leaves no task."""
    from django.db import transaction
    from django_q.models import OrmQ

    d = file_demand()
    before = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
        dispatched = OrmQ.objects.count()
        assert dispatched > before  # written before any commit
    with pytest.raises(RuntimeError), transaction.atomic():
        services.demand_accept(actor=cast.clerk, demand=d)
        assert OrmQ.objects.count() > dispatched
        raise RuntimeError("the change fails after the service")
    assert OrmQ.objects.count() == dispatched


def test_a_queue_elsewhere_gets_the_task_after_the_commit(cast, file_demand, in_worker, settings,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    from django_q.models import OrmQ

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "orm": "another-database"}
    d = file_demand()
    before = OrmQ.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    assert OrmQ.objects.count() == before and callbacks  # nothing yet: after the commit
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "orm": "default"}  # the broker's database
    for callback in callbacks:
        callback()
    assert OrmQ.objects.count() > before
