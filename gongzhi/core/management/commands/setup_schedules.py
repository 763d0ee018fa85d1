"""Write the django-q2 schedules of every registered periodic job (gongzhi.core.schedules)."""

from django.core.management.base import BaseCommand

from gongzhi.core import schedules


class Command(BaseCommand):
    help = "Create or update the task worker's schedules (run `manage.py qcluster` to run them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune", action="store_true", help="Remove schedules of jobs no longer registered."
        )

    def handle(self, *args, prune: bool = False, **options):
        report = schedules.sync(prune=prune)
        for job in schedules.registered():
            state = next(k for k, names in report.items() if job.name in names)
            self.stdout.write(f"{job.name}: every {job.minutes} min → {job.func_path} ({state})")
        for name in report["removed"]:
            self.stdout.write(f"{name}: removed")
