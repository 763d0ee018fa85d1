"""A registry of periodic jobs, run by the django-q2 worker (``manage.py qcluster``).

Apps register their jobs in ``AppConfig.ready``::

    from gongzhi.core import schedules
    schedules.register("demands.escalate_overdue", "gongzhi.demands.jobs.escalate_overdue_job", 5)

``manage.py setup_schedules`` then writes one django-q ``Schedule`` row per registered job
(created or brought up to date by name; rows of jobs no longer registered are removed
with ``--prune``). The worker's scheduler enqueues them; nothing runs on page load.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "gongzhi:"


@dataclass(frozen=True)
class Job:
    name: str
    func_path: str
    minutes: int


_jobs: dict[str, Job] = {}


def register(name: str, func_path: str, minutes: int) -> Job:
    """Run ``func_path`` (a dotted path to a function taking no argument) every ``minutes``."""
    if not name or "." not in func_path:
        raise ValueError(f"job {name!r}: func_path must be a dotted path, got {func_path!r}")
    if minutes < 1:
        raise ValueError(f"job {name!r}: minutes must be at least 1")
    job = Job(name, func_path, int(minutes))
    existing = _jobs.get(name)
    if existing is not None and existing != job:
        raise ValueError(f"job {name!r} is already registered as {existing}")
    _jobs[name] = job
    return job


def registered() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def schedule_name(job: Job) -> str:
    return f"{PREFIX}{job.name}"


def sync(*, prune: bool = False) -> dict[str, list[str]]:
    """Create or update the django-q Schedule rows for every registered job."""
    from django_q.models import Schedule

    report: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": [], "removed": []}
    for job in registered():
        wanted = {
            "func": job.func_path,
            "schedule_type": Schedule.MINUTES,
            "minutes": job.minutes,
            "repeats": -1,
        }
        row = Schedule.objects.filter(name=schedule_name(job)).first()
        if row is None:
            Schedule.objects.create(name=schedule_name(job), **wanted)
            report["created"].append(job.name)
        elif any(getattr(row, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(row, k, v)
            row.save()
            report["updated"].append(job.name)
        else:
            report["unchanged"].append(job.name)
    if prune:
        names = {schedule_name(j) for j in registered()}
        for row in Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=names):
            report["removed"].append(row.name.removeprefix(PREFIX))
            row.delete()
    return report
