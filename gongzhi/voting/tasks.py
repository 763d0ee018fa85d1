"""Functions the django-q2 worker runs on a schedule (registered in VotingConfig.ready
with gongzhi.core.schedules; `manage.py setup_schedules` writes the Schedule rows)."""

from __future__ import annotations

from django.utils import timezone

from gongzhi.voting.services.reminders import remind_unfiled_elections

SCHEDULE_FUNC = "gongzhi.voting.tasks.run_filing_reminders"


def run_filing_reminders() -> int:
    """Daily: remind managers of elections not filed within 30 days."""
    return remind_unfiled_elections(timezone.now())
