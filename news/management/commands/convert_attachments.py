import time

from django.core.management.base import BaseCommand

from news.files.conversions import run_queue


class Command(BaseCommand):
    help = (
        "Make the PDFs of queued document attachments (HWP/HWPX, Office, ODF) for reading in the browser. "
        "Run every minute by the scheduler, or with --loop as a service."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-seconds",
            type=int,
            default=None,
            help="Start no new conversion after this many seconds (the one running finishes).",
        )
        parser.add_argument("--loop", action="store_true", help="Keep polling the queue until stopped.")
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between polls with --loop.")

    def handle(self, *args, **options):
        while True:
            converted, failed = run_queue(max_seconds=options["max_seconds"])
            if converted or failed or options["verbosity"] > 1:
                self.stdout.write(f"{converted} attachment(s) converted to PDF, {failed} failed.")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
