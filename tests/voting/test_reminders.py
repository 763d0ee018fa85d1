"""The filing reminder: a plain function django-q2 runs daily."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from gongzhi.audit.models import AuditEvent
from gongzhi.notices.models import Notice, NoticeKind
from gongzhi.notices.permissions import notices_visible_to
from gongzhi.voting import rules, services, tasks
from gongzhi.voting.models import Election


@pytest.fixture
def counted(cast):
    election = services.election_create(
        actor=cast.community_worker,
        compound=cast.a,
        title="换届选举",
        committee_kind="owners_committee",
        seats=7,
        term_years=5,
    )
    counted_at = timezone.now() - dt.timedelta(days=40)
    Election.objects.filter(pk=election.pk).update(
        state=rules.ElectionState.COUNTED, counted_at=counted_at
    )
    election.refresh_from_db()
    return election


def test_no_reminder_29_days_after_the_count(counted):
    assert services.remind_unfiled_elections(counted.counted_at + dt.timedelta(days=29)) == 0
    assert not Notice.objects.filter(kind=NoticeKind.REMINDER).exists()


def test_reminder_31_days_after_the_count_once_with_a_system_audit_event(cast, counted):
    now = counted.counted_at + dt.timedelta(days=31)
    assert services.remind_unfiled_elections(now) == 1
    assert services.remind_unfiled_elections(now + dt.timedelta(days=1)) == 0
    notice = Notice.objects.get(kind=NoticeKind.REMINDER)
    assert notice.posted_by is None and "尚未向街道办事处备案" in notice.title
    event = AuditEvent.objects.get(action="election.filing_reminder")
    assert event.actor is None and event.actor_label == "系统"
    # For the managers, not the whole board; and in their in-app notifications.
    assert notice in notices_visible_to(cast.owners_chair, cast.a)
    assert notice not in notices_visible_to(cast.owner, cast.a)
    from gongzhi.notifications.models import Notification

    recipients = set(
        Notification.objects.filter(kind="voting.filing_reminder").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {cast.community_worker.pk, cast.owners_chair.pk}


def test_no_reminder_once_filed(counted):
    Election.objects.filter(pk=counted.pk).update(
        state=rules.ElectionState.FILED, filed_at=timezone.now()
    )
    assert services.remind_unfiled_elections(counted.counted_at + dt.timedelta(days=31)) == 0


def test_the_daily_job_is_registered_and_setup_schedules_writes_it(db):
    from django.core.management import call_command

    from gongzhi.core import schedules
    from gongzhi.voting.apps import FILING_REMINDER_JOB

    job = next(j for j in schedules.registered() if j.name == FILING_REMINDER_JOB)
    assert job.minutes == 24 * 60
    call_command("setup_schedules", stdout=__import__("io").StringIO())
    schedule = Schedule.objects.get(name=schedules.schedule_name(job))
    assert import_string(schedule.func) is tasks.run_filing_reminders
    assert tasks.run_filing_reminders() == 0


def test_scheduled_function_runs_through_django_q(settings, counted):
    from django_q.tasks import async_task

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    from django_q.conf import Conf

    Conf.SYNC = True
    try:
        async_task(tasks.SCHEDULE_FUNC)
    finally:
        Conf.SYNC = False
    assert Notice.objects.filter(kind=NoticeKind.REMINDER, related_id=str(counted.pk)).exists()
