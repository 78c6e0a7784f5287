"""Page benchmark: list, detail, search and the home page under gunicorn, each as a
ratio to a static file of the same size served by the same stack (WhiteNoise).

    .venv/bin/python bench/pages.py            # 10,000 clips
    .venv/bin/python bench/pages.py --quick    # 1,000 clips, fewer requests
    .venv/bin/python bench/pages.py --clips 100000

Everything runs against 127.0.0.1 in a throwaway folder (database, media,
static files); nothing in var/ is touched. Request loops are bounded.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BenchSite, load, report_line  # noqa: E402
from seed import SEED_SCRIPT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000, help="requests per page (bounded)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.clips, args.requests = 1_000, 300

    lines = []
    with BenchSite() as site:
        print(f"Seeding {args.clips:,} clips …", flush=True)
        site.manage_python(SEED_SCRIPT, str(args.clips))
        site.start()
        pages = {
            "home": "/",
            "news list": "/news/",
            "news list, page 50": "/news/?page=50",
            "news list, filtered": "/news/?year=2026&project=2",
            "clip detail (seed clip)": "/news/gwangju-a-year-in-innovation/",
            "clip detail (bench clip)": "/news/bench-clip-500/",
            "search": "/search/?q=subway+hydrogen",
            "project detail": "/projects/second-subway-line/",
        }
        lines.append(
            f"Gwangju Newsroom page benchmark — {args.clips:,} clips, gunicorn 2 sync workers, "
            f"{args.threads} client threads, {args.requests} requests per cell, {os.cpu_count()} cores"
        )
        lines.append(
            "uncached = with a session cookie (bypasses the page cache); cached = anonymous reader; "
            "ratio = req/s over a static file of the same size via WhiteNoise"
        )
        lines.append(
            f"{'page':28} {'bytes':>7} {'uncached':>8} {'p50ms':>6} {'ratio':>6} {'cached':>7} {'p50ms':>6}"
            f" {'ratio':>6} {'static':>7}"
        )
        baseline = load(site.url("/healthz"), args.requests, args.threads)
        for name, path in pages.items():
            cached = load(site.url(path), args.requests, args.threads)
            uncached = load(site.url(path), args.requests, args.threads, headers={"Cookie": "sessionid=bench"})
            static = load(site.url(site.static_copy(cached.size)), args.requests, args.threads)
            lines.append(report_line(name, cached, uncached, static))
            print(lines[-1], flush=True)
        lines.append(
            f"minimal Django view for scale (/healthz: one SELECT, {baseline.size} bytes): {baseline.rps:.0f} req/s,"
            f" p50 {baseline.percentile(0.5):.1f} ms"
        )
        views_before = site.manage_python(
            "from news.models import NewsClip; print(NewsClip.objects.get(slug='bench-clip-500').view_count)"
        )
        load(site.url("/news/bench-clip-500/"), 200, args.threads)
        views_after = site.manage_python(
            "from news.models import NewsClip; print(NewsClip.objects.get(slug='bench-clip-500').view_count)"
        )
        exact = int(views_after) - int(views_before) == 200
        lines.append(
            f"view counter after 200 concurrent detail requests: +{int(views_after) - int(views_before)}"
            f" ({'exact' if exact else 'LOST INCREMENTS'})"
        )
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
