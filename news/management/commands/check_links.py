"""Check the outbound links of clip bodies (news/links/checks.py). Run it on a timer, never in a request."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from news.links.checks import check_due, outbound_links, record_links


class Command(BaseCommand):
    help = "Check links to other sites in clip bodies: a bounded number per run, each with a timeout."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="Addresses checked in one run (default 200).")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for each (default 10).")
        parser.add_argument("--interval-hours", type=float, default=24.0, help="Check an address again after this.")

    def handle(self, *args, limit, timeout, interval_hours, **options):
        if limit < 1 or timeout <= 0:
            self.stderr.write("--limit must be at least 1 and --timeout more than 0.")
            return
        new = record_links(outbound_links())
        checked, broken = check_due(limit=limit, timeout=timeout, interval=timedelta(hours=interval_hours))
        self.stdout.write(f"Links: {new} new address(es); {checked} checked, {broken} not working.")
