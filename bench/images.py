"""Image bytes: what the seed clip's page costs a reader on a phone and on a desktop.

    .venv/bin/python bench/images.py

Seeds a throwaway site (bench/harness.py: temp folder, SQLite, gunicorn, DEBUG off), then opens
the seed clip in headless Chromium (/usr/bin/chromium, never downloaded) with a fresh cache per
viewport — 375 px (at 1x and at 2x device pixels) and 1280 px — and sums the bytes each response
carried (encoded body sizes, what went over the wire; headers not included):

- first view: after the load event and a quiet network (lazy photos out of view not fetched);
- whole page: after scrolling to the end, so every lazy photo has loaded too.

It writes a Markdown table to stdout and bench/results/images.txt. Run it on two commits to
compare them (the script only needs bench/harness.py, which both have).
"""

import argparse
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BenchSite  # noqa: E402

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CLIP = "/news/gwangju-a-year-in-innovation/"
VIEWPORTS = [
    ("375 px phone", {"width": 375, "height": 740}, 1),
    ("375 px phone, 2x", {"width": 375, "height": 740}, 2),
    ("1280 px desktop", {"width": 1280, "height": 800}, 1),
]


def measure(browser, url, viewport, scale):
    """{"first": (image bytes, total bytes, photo URLs), "whole": ...} for one fresh visit."""
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    def totals():
        images = total = 0
        photos = []
        for request in finished:
            size = request.sizes()["responseBodySize"]
            total += size
            if request.resource_type == "image":
                images += size
                if "/photos/" in request.url:
                    photos.append(request.url.split("/photos/", 1)[1])
        return images, total, photos

    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    first = totals()
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + viewport["height"], viewport["height"] // 2):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    whole = totals()
    context.close()
    return {"first": first, "whole": whole}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="accepted for bench/run.py; this run is always short")
    parser.add_argument("--label", help="what is measured, for a copy that is not a git checkout (default: HEAD)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    commit = (
        args.label
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
    )
    rows = []
    with BenchSite() as site:
        site.manage("load_seed", "-v0")
        site.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            # One visit first, so renditions made on first request are not part of the figures' timing.
            measure(browser, site.url(CLIP), VIEWPORTS[-1][1], 1)
            for name, viewport, scale in VIEWPORTS:
                rows.append((name, measure(browser, site.url(CLIP), viewport, scale)))
            browser.close()
    load = os.getloadavg()
    lines = [
        f"Seed clip {CLIP} at commit {commit}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "",
        "| viewport | images, first view | total, first view | images, whole page | total, whole page"
        " | photos fetched |",
        "|---|---|---|---|---|---|",
    ]
    for name, result in rows:
        (fi, ft, _), (wi, wt, photos) = result["first"], result["whole"]
        lines.append(
            f"| {name} | {fi / 1024:,.0f} KB | {ft / 1024:,.0f} KB | {wi / 1024:,.0f} KB | {wt / 1024:,.0f} KB "
            f"| {', '.join(photos)} |"
        )
    report = "\n".join(lines)
    print(report)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "images.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
