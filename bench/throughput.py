"""Requests per second with wrk: our pages beside the limits of the stack they run on.

    .venv/bin/python bench/throughput.py [--stack sqlite|prod] [--clips N] [--duration S] [--quick]

Everything listens on 127.0.0.1 only and stops at the end. Targets, each hit with
`wrk -t2 -c16 -d<S>s`, three repetitions interleaved (target after target, three rounds),
the median reported:

- nginx serving a static copy of the clip page's bytes (the machine's limit);
- WhiteNoise (our gunicorn) serving the same bytes (the stack's limit);
- a minimal Django view rendering a 20 KB template, no database (bench/minimal/);
- our pages: the clip page cached (anonymous) and uncached (session cookie), the news list
  and search uncached;
- one 25 KB attachment (the seed clip's PDF) from our gunicorn, beside nginx and WhiteNoise
  serving the same bytes as a static file, and through nginx with
  DOWNLOAD_SENDFILE=x-accel-redirect (a second gunicorn with that setting behind nginx).

`--miss` measures only the uncached path (issue 23 item 4): the minimal view, the clip page and
the news list with a session cookie (the page cache misses) — once with the kept page parts
warm (core.fragments) and once from a second gunicorn with `FRAGMENT_CACHE=0` (fully cold) —
interleaved the same way.

`--stack sqlite` (the default) is the embedded default: SQLite and the per-process cache.
`--stack prod` is the production stack: a throwaway PostgreSQL database and Redis (database
11, flushed before and after) instead.

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

from harness import PYTHON, BenchSite, free_port, load  # noqa: E402
from seed import SEED_SCRIPT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = """
daemon off; worker_processes 1; user root; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log off;
  server {{ listen 127.0.0.1:{port}; root {tmp}/nginx-root; }}
  server {{
    listen 127.0.0.1:{proxy_port};
    location / {{ proxy_pass http://127.0.0.1:{accel_port}; }}
    location /_protected/ {{ internal; alias {protected}/; }}
  }}
}}
"""
REDIS_BENCH_DB = 11
NGINX_ATTACHMENT = "nginx: the 25 KB attachment's bytes as a file"


class _Done(Exception):
    """The --miss run has measured all it measures."""


def ensure_wrk():
    """nginx and wrk (.ci/system-packages bench installs them as root, or says the command)."""
    if not (shutil.which("wrk") and shutil.which("nginx")):
        if subprocess.run([str(ROOT / ".ci" / "system-packages"), "bench"]).returncode:
            sys.exit("bench/throughput.py needs nginx and wrk (see above)")
    return "wrk"


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


def prod_stack():
    """A throwaway PostgreSQL database and an emptied Redis database for a --stack prod run."""
    database = f"gwangju_bench_{os.getpid()}"
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", "postgres", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {database}"], check=True)
    subprocess.run(["redis-cli", "-n", str(REDIS_BENCH_DB), "FLUSHDB"], check=True, capture_output=True)

    def drop():
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database}"], check=False)
        subprocess.run(["redis-cli", "-n", str(REDIS_BENCH_DB), "FLUSHDB"], check=False, capture_output=True)

    return f"postgres://postgres@127.0.0.1:5432/{database}", f"redis://127.0.0.1:6379/{REDIS_BENCH_DB}", drop


def run_wrk(url, seconds, cookie=False):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s", url]
    if cookie:
        command[1:1] = ["-H", "Cookie: sessionid=bench"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        print(f"  ! {url}: {errors.group(1)} non-2xx responses", flush=True)
    return (float(match.group(1)) if match else 0.0), (int(total.group(1)) if total else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--stack", choices=["sqlite", "prod"], default="sqlite")
    parser.add_argument("--miss", action="store_true", help="only the uncached clip page and list, warm and cold")
    args = parser.parse_args()
    if args.quick:
        args.clips, args.duration = 1_000, 3
    ensure_wrk()
    processes = []
    database_url = redis_url = None
    drop = lambda: None  # noqa: E731
    if args.stack == "prod":
        database_url, redis_url, drop = prod_stack()
    with BenchSite(database_url=database_url, redis_url=redis_url) as site:
        print(f"Seeding {args.clips:,} clips …", flush=True)
        site.manage_python(SEED_SCRIPT, str(args.clips))
        attachment_path = site.manage_python(
            "from news.models import Attachment\n"
            "a = Attachment.objects.filter(clip__slug='gwangju-a-year-in-innovation').order_by('position').first()\n"
            "print(a.get_absolute_url())"
        )
        site.start()
        clip = site.url("/news/bench-clip-500/")
        page_bytes = urllib.request.urlopen(clip).read()
        attachment_bytes = urllib.request.urlopen(site.url(attachment_path)).read()
        static = site.static_copy(len(page_bytes))
        Path(site.env["STATIC_ROOT"], static.removeprefix("/static/")).write_bytes(page_bytes)
        static_attachment = "/static/bench/attachment.pdf"
        Path(site.env["STATIC_ROOT"], "bench", "attachment.pdf").write_bytes(attachment_bytes)
        site.stop()
        site.start(collect=False)
        try:
            tmp = site.tmp
            (tmp / "nginx-root").mkdir()
            (tmp / "nginx-root" / "clip.html").write_bytes(page_bytes)
            (tmp / "nginx-root" / "attachment.pdf").write_bytes(attachment_bytes)
            nginx_port, minimal_port, proxy_port, accel_port = free_port(), free_port(), free_port(), free_port()
            (tmp / "nginx.conf").write_text(
                NGINX_CONF.format(
                    tmp=tmp,
                    port=nginx_port,
                    proxy_port=proxy_port,
                    accel_port=accel_port,
                    protected=site.env["PROTECTED_MEDIA_ROOT"],
                )
            )
            processes.append(subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf")]))
            # The same site, handing downloads to nginx (X-Accel-Redirect), behind the proxy above.
            processes.append(
                subprocess.Popen(
                    [PYTHON, "-m", "gunicorn", "gwangju_site.wsgi", "-w", "2", "-b", f"127.0.0.1:{accel_port}"]
                    + ["--log-level", "warning"],
                    cwd=ROOT,
                    env={**site.env, "DOWNLOAD_SENDFILE": "x-accel-redirect"},
                )
            )
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
            cold_port = free_port()
            if args.miss:  # the same site with no kept page parts: every miss renders everything
                processes.append(
                    subprocess.Popen(
                        [PYTHON, "-m", "gunicorn", "gwangju_site.wsgi", "-w", "2", "-b", f"127.0.0.1:{cold_port}"]
                        + ["--log-level", "warning"],
                        cwd=ROOT,
                        env={**site.env, "FRAGMENT_CACHE": "0"},
                    )
                )
                wait_for(cold_port)
            wait_for(nginx_port)
            wait_for(minimal_port)
            wait_for(accel_port)
            targets = [
                ("nginx: the clip page's bytes as a file", f"http://127.0.0.1:{nginx_port}/clip.html", False),
                ("WhiteNoise: the same bytes", site.url(static), False),
                ("minimal Django view, 20 KB template", f"http://127.0.0.1:{minimal_port}/", False),
                ("clip page, anonymous (cached)", clip, False),
                ("clip page, uncached", clip, True),
                ("news list, uncached", site.url("/news/"), True),
                ("/search/?q=subway+hydrogen, uncached", site.url("/search/?q=subway+hydrogen"), True),
                ("/news/?q=subway+hydrogen, uncached", site.url("/news/?q=subway+hydrogen"), True),
                (NGINX_ATTACHMENT, f"http://127.0.0.1:{nginx_port}/attachment.pdf", False),
                ("WhiteNoise: the same 25 KB", site.url(static_attachment), False),
                ("attachment, 25 KB, counted", site.url(attachment_path), False),
                ("attachment through nginx, X-Accel-Redirect", f"http://127.0.0.1:{proxy_port}{attachment_path}", 0),
            ]
            if args.miss:
                cold = f"http://127.0.0.1:{cold_port}"
                targets = [
                    ("minimal Django view, 20 KB template", f"http://127.0.0.1:{minimal_port}/", False),
                    ("clip page, uncached, parts warm", clip, True),
                    ("news list, uncached, parts warm", site.url("/news/"), True),
                    ("clip page, uncached, cold", f"{cold}/news/bench-clip-500/", True),
                    ("news list, uncached, cold", f"{cold}/news/", True),
                ]
            results = {name: [] for name, _, _ in targets}
            for round_ in range(3):
                for name, url, cookie in targets:
                    rate, _ = run_wrk(url, args.duration, cookie)
                    results[name].append(rate)
                    print(f"  round {round_ + 1}: {name}: {rate:.0f} req/s", flush=True)
            # wrk stops mid-request, so its totals cannot be compared with the counter: count
            # exactly 400 concurrent downloads (both ways in) instead.
            if args.miss:
                raise _Done
            count_code = (
                "from news.models import Attachment\n"
                f"print(Attachment.objects.get(pk={attachment_path.rstrip('/').rsplit('/', 1)[1]}).download_count)"
            )
            before = int(site.manage_python(count_code))
            sent = 0
            for url in (site.url(attachment_path), f"http://127.0.0.1:{proxy_port}{attachment_path}"):
                result = load(url, 200, 16)
                sent += result.requests - result.errors
            downloads, counted = sent, int(site.manage_python(count_code)) - before
        except _Done:
            downloads = counted = None
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=20)
            site.stop()  # its connections too, before the database is dropped
            drop()
    median = {name: statistics.median(values) for name, values in results.items()}
    whitenoise = median.get("WhiteNoise: the same bytes") or float("nan")
    minimal = median["minimal Django view, 20 KB template"] or float("nan")
    stack = "SQLite, local-memory cache" if args.stack == "sqlite" else "PostgreSQL + Redis (the production stack)"
    lines = [
        f"{args.clips:,} clips, {stack}, gunicorn 2 sync workers, DEBUG off; "
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
        elif name.startswith("attachment through nginx"):
            ratio = f"{value / median[NGINX_ATTACHMENT]:.2f} of nginx's static file"
        elif name.startswith("attachment"):
            ratio = f"{value / median['WhiteNoise: the same 25 KB']:.2f} of WhiteNoise"
        else:
            ratio = f"{value / minimal:.2f} of the minimal view"
        lines.append(f"| {name} | {value:,.0f} | {ratio} |")
    if downloads is not None:
        lines.append("")
        lines.append(
            f"Downloads of the attachment: {downloads:,} sent, {counted:,} counted"
            + (" (exact)" if downloads == counted else " — NOT EXACT")
        )
    text = "\n".join(lines)
    print("\n" + text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"throughput{'-miss' if args.miss else ''}-{args.stack}.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
