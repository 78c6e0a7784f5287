"""How cost grows: 100,000 clips on PostgreSQL, one client, uncached, latency per page.

    .venv/bin/python bench/scale.py [--clips N] [--requests N] [--pg postgres://postgres@127.0.0.1:5432]
                                    [--keep | --reuse DB] [--only TEXT]

Creates a throwaway database on the PostgreSQL server given (127.0.0.1 by default), seeds it
in bulk (bench/seed.py, timed), starts gunicorn with one worker against it, and sends
`--requests` sequential requests per page with a session cookie (which bypasses the page
cache) after a few warm-up requests. Prints p50/p95/p99 in ms; drops the database at the end.

While iterating: `--keep` leaves the seeded database (its name is printed) and `--reuse DB`
measures an existing one (migrated first, not reseeded, not dropped); `--only TEXT` measures
only the pages whose label contains TEXT.
"""

import argparse
import http.client
import os
import re
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BenchSite  # noqa: E402
from seed import SEED_SCRIPT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "news list": "/news/",
    "deep page (?page=5000)": "/news/?page=5000",
    "filtered list (year + project)": "/news/?year={year}&project=2",
    "year archive, last page": "/news/?year={year}&page=9999",
    "list search": "/news/?q=subway+hydrogen",
    "list search, rare word": "/news/?q=memorandum",
    "site search": "/search/?q=subway+hydrogen",
    # Bad input (issue 12): answered, and never a scan that takes seconds.
    "search: 1,000 words": "/news/?q=" + "x+" * 1000,  # a longer request line is a 414 from gunicorn
    "search: Korean, % _ \\ NUL": "/news/?q=%EA%B4%91%EC%A3%BC+%25+_+%5C%5C+a%00b",
    "search: -word, OR, open quote": "/news/?q=subway+-hydrogen+OR+%22jobs+park",
    "search: rare phrase, common words": "/search/?q=%22subway+hydrogen+jobs+park%22",
    "clip": "/news/bench-clip-{middle}/",
    "feed": "/news/feed/",
    "project": "/projects/second-subway-line/",
}


def timings(port, path, requests, warmup=3):
    latencies, first = [], None
    for i in range(warmup + requests):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": "sessionid=bench", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        if first is None:
            first = elapsed * 1000
        if i >= warmup:
            latencies.append(elapsed * 1000)
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]

    return first, pct(0.5), pct(0.95), pct(0.99), len(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    parser.add_argument("--reuse", metavar="DB", help="measure this already seeded database")
    parser.add_argument("--only", metavar="TEXT", help="only the pages whose label contains TEXT")
    args = parser.parse_args()
    if args.quick:
        args.clips, args.requests = 5_000, 10
    name = args.reuse or f"gw_bench_{os.getpid()}"
    if not args.reuse:
        with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    lines = []
    try:
        with BenchSite(workers=1, database_url=f"{args.pg}/{name}") as site:
            if args.reuse:
                total = site.manage_python("from news.models import NewsClip; print(NewsClip.objects.count())")
                seeded = "reused"
            else:
                print(f"Seeding {args.clips:,} clips into PostgreSQL …", flush=True)
                total, seconds = site.manage_python(SEED_SCRIPT, str(args.clips)).splitlines()[-1].split()
                seeded = f"seeded in {float(seconds):.0f} s"
                print(f"seeded {int(total):,} clips in {float(seconds):.1f} s", flush=True)
            year = site.manage_python(
                "from news.models import NewsClip; print(NewsClip.objects.earliest('publish_at').publish_at.year + 1)"
            )
            site.start()
            lines.append(
                f"{int(total):,} clips on PostgreSQL ({seeded}), gunicorn 1 sync worker, "
                f"one client, uncached (session cookie), {args.requests} requests per page"
            )
            # "first": the first request, a warm-up not in the percentiles; for a sitemap file it
            # is the build (later requests are served from the page cache until content changes).
            lines.append(f"{'page':34} {'first':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'bytes':>9}")
            pages = {label: path.format(year=year, middle=int(total) // 2) for label, path in PAGES.items()}
            pages["sitemap index"] = "/sitemap.xml"
            conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
            conn.request("GET", "/sitemap.xml")
            for loc in re.findall(r"<loc>[^<]*?(/sitemaps/[^<]*)</loc>", conn.getresponse().read().decode()):
                pages[f"sitemap {loc.removeprefix('/sitemaps/')}"] = loc
            conn.close()
            for label, path in pages.items():
                if args.only and args.only not in label:
                    continue
                first, p50, p95, p99, size = timings(site.port, path, args.requests)
                lines.append(f"{label:34} {first:>7.1f} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {size:>9,}")
                print(lines[-1], flush=True)
    finally:
        if args.keep or args.reuse:
            print(f"database kept: {args.pg}/{name}")
        else:
            with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
