"""Entry points for the task worker (django-q2 schedules; see apps.py and core.schedules)."""

from __future__ import annotations

from gongzhi.demands import services


def escalate_overdue_job() -> int:
    """Every few minutes: escalate demands whose deadline has passed."""
    return services.escalate_overdue()


def close_unrated_job() -> int:
    """Hourly: close demands left unrated seven days after resolution."""
    return services.close_unrated()
