"""Requests per second with wrk: our pages beside the limits of the stack they run on.

    .venv/bin/python bench/throughput.py [--clips N] [--duration S] [--quick]

Everything listens on 127.0.0.1 only and stops at the end. Targets, each hit with
`wrk -t2 -c16 -d<S>s`, three repetitions interleaved (target after target, three rounds),
the median reported:

- nginx serving a static copy of the clip page's bytes (the machine's limit);
- WhiteNoise (our gunicorn) serving the same bytes (the stack's limit);
- a minimal Django view rendering a 20 KB template, no database (bench/minimal/);
- our pages: the clip page cached (anonymous) and uncached (session cookie), the news list
  and search uncached.

wrk is the Debian package `wrk`; installed with apt-get when missing and we are root.
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

from harness import PYTHON, BenchSite, free_port  # noqa: E402
from seed import SEED_SCRIPT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = """
daemon off; worker_processes 1; user root; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{ access_log off; server {{ listen 127.0.0.1:{port}; root {tmp}/nginx-root; }} }}
"""


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        return "wrk"
    sys.exit("wrk is missing: sudo apt-get install -y wrk")


def wait_for(port):
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error is an answer
                return
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def run_wrk(url, seconds, cookie=False):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", url]
    if cookie:
        command[1:1] = ["-H", "Cookie: sessionid=bench"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        print(f"  ! {url}: {errors.group(1)} non-2xx responses", flush=True)
    return float(match.group(1)) if match else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.clips, args.duration = 1_000, 3
    ensure_wrk()
    processes = []
    with BenchSite() as site:
        print(f"Seeding {args.clips:,} clips …", flush=True)
        site.manage_python(SEED_SCRIPT, str(args.clips))
        site.start()
        clip = site.url("/news/bench-clip-500/")
        page_bytes = urllib.request.urlopen(clip).read()
        static = site.static_copy(len(page_bytes))
        Path(site.env["STATIC_ROOT"], static.removeprefix("/static/")).write_bytes(page_bytes)
        site.stop()
        site.start(collect=False)
        try:
            tmp = site.tmp
            (tmp / "nginx-root").mkdir()
            (tmp / "nginx-root" / "clip.html").write_bytes(page_bytes)
            nginx_port, minimal_port = free_port(), free_port()
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=nginx_port))
            processes.append(subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf")]))
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        "-m",
                        "gunicorn",
                        "app",
                        "-w",
                        "2",
                        "-b",
                        f"127.0.0.1:{minimal_port}",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT / "bench" / "minimal",
                )
            )
            wait_for(nginx_port)
            wait_for(minimal_port)
            targets = [
                ("nginx: the clip page's bytes as a file", f"http://127.0.0.1:{nginx_port}/clip.html", False),
                ("WhiteNoise: the same bytes", site.url(static), False),
                ("minimal Django view, 20 KB template", f"http://127.0.0.1:{minimal_port}/", False),
                ("clip page, anonymous (cached)", clip, False),
                ("clip page, uncached", clip, True),
                ("news list, uncached", site.url("/news/"), True),
                ("/search/?q=subway+hydrogen, uncached", site.url("/search/?q=subway+hydrogen"), True),
                ("/news/?q=subway+hydrogen, uncached", site.url("/news/?q=subway+hydrogen"), True),
            ]
            results = {name: [] for name, _, _ in targets}
            for round_ in range(3):
                for name, url, cookie in targets:
                    results[name].append(run_wrk(url, args.duration, cookie))
                    print(f"  round {round_ + 1}: {name}: {results[name][-1]:.0f} req/s", flush=True)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=20)
    median = {name: statistics.median(values) for name, values in results.items()}
    whitenoise = median["WhiteNoise: the same bytes"] or float("nan")
    minimal = median["minimal Django view, 20 KB template"] or float("nan")
    lines = [
        f"{args.clips:,} clips, SQLite, local-memory cache, gunicorn 2 sync workers, DEBUG off; "
        f"wrk -t2 -c16, 3 interleaved {args.duration} s runs, medians; {os.cpu_count()} cores",
        "",
        "| page | req/s | ratio |",
        "|---|---|---|",
    ]
    for name, _, _ in targets:
        value = median[name]
        if name.startswith("nginx"):
            ratio = "the machine's limit"
        elif name.startswith("WhiteNoise"):
            ratio = "the stack's limit"
        elif name.startswith("minimal"):
            ratio = "1.00"
        elif "cached)" in name:
            ratio = f"{value / whitenoise:.2f} of WhiteNoise"
        else:
            ratio = f"{value / minimal:.2f} of the minimal view"
        lines.append(f"| {name} | {value:,.0f} | {ratio} |")
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "throughput.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
