from django.core.management.base import BaseCommand

from news.workflow import run_schedule


class Command(BaseCommand):
    help = "Record due scheduled publications and expiries and refresh cached pages. Run every minute."

    def handle(self, *args, **options):
        went_live, expired = run_schedule()
        if went_live or expired or options["verbosity"] > 1:
            self.stdout.write(f"{went_live} clip(s) went live, {expired} clip(s) expired.")
