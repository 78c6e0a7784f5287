from django.conf import settings
from django.core.management.base import BaseCommand

from core.counting import forget_old
from news.publishing.workflow import run_schedule


def heartbeat():
    """Touch the file whose age the readiness report and /metrics show (gwangju_site.status)."""
    path = settings.SCHEDULER_HEARTBEAT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


class Command(BaseCommand):
    help = "Record due scheduled publications and expiries and refresh cached pages. Run every minute."

    def handle(self, *args, **options):
        went_live, expired = run_schedule()
        forget_old()  # request ids kept to count retried requests once (core.counting)
        heartbeat()
        if went_live or expired or options["verbosity"] > 1:
            self.stdout.write(f"{went_live} clip(s) went live, {expired} clip(s) expired.")
