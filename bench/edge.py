"""Requests per second through the production arrangement's nginx: the edge cache beside
nginx serving the same bytes as a static file, and the app behind it beside the minimal view.

    deploy/prod.sh up                 # or make prod-up; PROD_* variables for other ports
    .venv/bin/python bench/edge.py [--duration S] [--rounds N]

Uses the running arrangement (PROD_DIR/arrangement, as tests/integration does) and its seed
clip, "Gwangju! A year in innovation" (a ~40 KB page, a 25 KB attachment). Each target is
hit with `wrk -t2 -c16` over HTTPS on the main port, target after target, for --rounds
rounds; medians are reported.

- nginx static: the exact bytes of each page, attachment and ZIP, copied under STATIC_ROOT
  (nginx's /static/) before the run;
- edge hit: an anonymous reader (served from nginx's edge cache, deploy/nginx/gwangju-edge.conf);
- app, page cache: the same request on the port pinned to instance A, which bypasses the edge
  (the app answers from its own page cache);
- app, uncached: with a session cookie, which bypasses both (what an edge miss costs when
  the app's page cache is cold too);
- the minimal Django view (bench/minimal/, gunicorn 2 sync workers, no nginx) for scale.

Counting: every clip page and download nginx answered 200 in the run (its access log; plus
the 499s the app answered after wrk had hung up) must be in the database 10 s later (views
and download counts; a ZIP counts each file once).
The report is printed and written to bench/results/edge.txt.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PYTHON, ROOT, free_port  # noqa: E402

PROD_DIR = Path(os.environ.get("PROD_DIR", ROOT / "var" / "prod"))
SLUG = "gwangju-a-year-in-innovation"


def keyvalues(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and line[0] != "#")


def psql(env, sql):
    result = subprocess.run(["psql", env["DATABASE_URL"], "-tAc", sql], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def wrk(url, seconds, cookie=False):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", url]
    if cookie:
        command[1:1] = ["-H", "Cookie: sessionid=bench"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        print(f"  ! {url}: {errors.group(1)} non-2xx responses", flush=True)
    return float(rate.group(1)) if rate else 0.0


def fetch(url, ca_file):
    import ssl

    context = ssl.create_default_context(cafile=ca_file)
    with urllib.request.urlopen(url, context=context, timeout=30) as response:
        return response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):  # .ci/system-packages bench installs it as root, or says the command
        if subprocess.run([str(ROOT / ".ci" / "system-packages"), "bench"]).returncode:
            sys.exit("bench/edge.py needs wrk (see above)")
    info_file = PROD_DIR / "arrangement"
    if not info_file.exists():
        sys.exit(f"no running arrangement ({info_file} missing): run deploy/prod.sh up first")
    info, env = keyvalues(info_file), keyvalues(PROD_DIR / "env")
    url, url_a, ca = info["URL"], info["URL_A"], info["CA_FILE"]
    clip_id = int(psql(env, f"SELECT id FROM news_newsclip WHERE slug = '{SLUG}'"))
    attachment_ids = [
        int(x)
        for x in psql(
            env, f"SELECT id FROM news_attachment WHERE clip_id = {clip_id} AND NOT pending ORDER BY position, id"
        ).split()
    ]
    first_attachment = attachment_ids[0]
    paths = {
        "clip page": f"/news/{SLUG}/",
        "news list": "/news/",
        "home": "/",
        "attachment": f"/news/{SLUG}/attachments/{first_attachment}/",
        "ZIP": f"/news/{SLUG}/attachments.zip",
    }
    static_dir = Path(env["STATIC_ROOT"]) / "bench-edge"
    static_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, path in paths.items():
        body = fetch(url + path, ca)
        sizes[name] = len(body)
        (static_dir / f"{name.replace(' ', '-')}.bin").write_bytes(body)
    minimal_port = free_port()
    minimal = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "app", "-w", "2", "-b", f"127.0.0.1:{minimal_port}", "--log-level", "warning"],
        cwd=ROOT / "bench" / "minimal",
    )
    targets = []
    for name, path in paths.items():
        targets.append((f"nginx static: {name} bytes", f"{url}/static/bench-edge/{name.replace(' ', '-')}.bin", False))
        targets.append((f"edge hit: {name}", url + path, False))
        if name in {"clip page", "news list", "home", "attachment"}:
            targets.append((f"app, page cache: {name}", url_a + path, False))
        if name in {"clip page", "news list"}:
            targets.append((f"app, uncached: {name}", url + path, True))
    targets.append(("minimal Django view (no nginx)", f"http://127.0.0.1:{minimal_port}/", False))
    # The requests above may be edge hits, counted by ingest_edge_counts a moment later: let
    # them land before the counts are read.
    time.sleep(3)
    access_log = PROD_DIR / "log" / "gwangju.access.log"
    log_start = access_log.stat().st_size
    views_before = int(psql(env, f"SELECT view_count FROM news_newsclip WHERE id = {clip_id}"))
    downloads_sql = f"SELECT coalesce(sum(download_count), 0) FROM news_attachment WHERE clip_id = {clip_id}"
    downloads_before = int(psql(env, downloads_sql))
    load_before = os.getloadavg()
    results = {name: [] for name, _, _ in targets}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        time.sleep(1)
        for round_ in range(args.rounds):
            for name, target, cookie in targets:
                rate = wrk(target, args.duration, cookie)
                results[name].append(rate)
                print(f"  round {round_ + 1}: {name}: {rate:,.0f} req/s", flush=True)
    finally:
        minimal.terminate()
        minimal.wait(timeout=20)
    load_after = os.getloadavg()
    # What nginx answered 200 for in the run, by its own log, against the database 10 s later.
    time.sleep(10)
    with open(access_log, "rb") as log:
        log.seek(log_start)
        lines = log.read().decode("utf-8", "replace").splitlines()

    def answered(path):
        """Whole answers: 200s, and 499s that reached the app (wrk stops mid-request at the end
        of each run; the app counted those when it answered, the reader had gone)."""
        request = f'"GET {path} HTTP/1.1" '
        return sum(
            1 for line in lines if request + "200 " in line or (request + "499 " in line and "upstream=-" not in line)
        )

    views_served = answered(paths["clip page"])
    downloads_served = answered(paths["attachment"]) + answered(paths["ZIP"]) * len(attachment_ids)
    views_counted = int(psql(env, f"SELECT view_count FROM news_newsclip WHERE id = {clip_id}")) - views_before
    downloads_counted = int(psql(env, downloads_sql)) - downloads_before

    median = {name: statistics.median(values) for name, values in results.items()}
    minimal_rate = median["minimal Django view (no nginx)"] or float("nan")
    lines_out = [
        f"Through the production arrangement's nginx (HTTPS, PostgreSQL + Redis, 2 gunicorn instances), {started}; "
        f"wrk -t2 -c16, {args.rounds} interleaved {args.duration} s runs, medians; {os.cpu_count()} cores; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after",
        "",
        "| target | bytes | req/s | ratio |",
        "|---|---|---|---|",
    ]
    for name, _, _ in targets:
        kind, _, what = name.partition(": ")
        value = median[name]
        if name.startswith("minimal"):
            size, ratio = "20 KB", "1.00 (the minimal view)"
        elif kind == "nginx static":
            size, ratio = f"{sizes[what.removesuffix(' bytes')]:,}", "1.00 (nginx's limit)"
        else:
            size = f"{sizes[what]:,}"
            static = median[f"nginx static: {what} bytes"] or float("nan")
            ratio = f"{value / static:.2f} of nginx static"
            if kind.startswith("app"):
                ratio += f", {value / minimal_rate:.2f} of the minimal view"
        lines_out.append(f"| {name} | {size} | {value:,.0f} | {ratio} |")
    lines_out += [
        "",
        f"Views of the clip page nginx answered in the run: {views_served:,}; in the database 10 s later: "
        f"{views_counted:,}" + (" (exact)" if views_served == views_counted else " — NOT EXACT"),
        f"Downloads (attachment, and each file of each ZIP): {downloads_served:,}; in the database: "
        f"{downloads_counted:,}" + (" (exact)" if downloads_served == downloads_counted else " — NOT EXACT"),
    ]
    text = "\n".join(lines_out)
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "edge.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
