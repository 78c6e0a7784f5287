"""The scheduler as one long-running process: `make run` and `make prod-up` start it.

Every `--interval` seconds (30) it records due publications and expiries
(publish_scheduled); every hour it removes staged uploads never saved
(clear_staged_uploads). A failed run (the database briefly gone) is logged once and
tried again at the next tick; SIGTERM or Ctrl+C stops it between runs. On a server,
systemd's timers (deploy/systemd/) or cron (deploy/cron-task) do the same job; run
one of them on one host. Running two at once is safe (each run locks the rows it
changes), only wasteful.
"""

import logging
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from core import outage

logger = logging.getLogger(__name__)

HOURLY = 3600


class Command(BaseCommand):
    help = "Run the scheduler in the foreground: publish_scheduled every 30 s, clear_staged_uploads hourly."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between two runs (default 30)")
        parser.add_argument("--once", action="store_true", help="one tick (both commands), then exit")

    def handle(self, *args, interval, once, **options):
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        logger.info("Scheduler started: scheduled publication every %.0f s, staged uploads hourly", interval)
        last_cleanup = 0.0
        if once:
            ok = self.run("publish_scheduled") & self.run("clear_staged_uploads")
            if not ok:
                raise SystemExit(1)
            return
        while not stop.is_set():
            self.run("publish_scheduled")
            if time.monotonic() - last_cleanup >= HOURLY:
                if self.run("clear_staged_uploads"):
                    last_cleanup = time.monotonic()
            stop.wait(interval)
        logger.info("Scheduler stopped")

    def run(self, command):
        if not connection.in_atomic_block:
            close_old_connections()  # a connection broken by an outage is not reused
        try:
            call_command(command, verbosity=1)
        except Exception as error:  # noqa: BLE001 - the next tick tries again
            outage.failed(f"the scheduler's {command}", error, then="trying again at the next run")
            return False
        outage.recovered(f"the scheduler's {command}")
        return True
