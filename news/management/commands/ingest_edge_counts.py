from django.core.management.base import BaseCommand

from core.edge_log import follow, ingest
from news.models import EdgeLogPosition
from news.public import edge_counts


class Command(BaseCommand):
    help = (
        "Count the views and downloads nginx's edge cache delivered (its edge-counts log) into the "
        "database, exactly once. With --follow it keeps reading, every --interval seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("log", help="the edge-counts log nginx writes (deploy/nginx/gwangju-edge.conf)")
        parser.add_argument("--follow", action="store_true")
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, log, follow_log=False, interval=0.5, **options):
        if options["follow"]:
            self.stdout.write(f"Following {log}")
            self.stdout.flush()
            follow(
                log,
                edge_counts.apply,
                EdgeLogPosition,
                interval=interval,
                log=lambda message: self.stderr.write(message),
            )
            return
        total = 0
        while read := ingest(log, edge_counts.apply, EdgeLogPosition):
            total += read
        self.stdout.write(f"{total} lines counted from {log}")
