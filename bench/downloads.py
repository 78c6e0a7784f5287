"""Benchmark of the download views under gunicorn (a script, not a test).

Measures, against a throwaway site in a temporary folder (its own SQLite
database, protected media, PDF cache and STATIC_ROOT; nothing under var/ is
touched, no traffic leaves 127.0.0.1):

1. Peak memory (RSS) of the gunicorn workers while one of them streams the ZIP
   of attachments totalling 1 GiB (4 x 256 MiB of random bytes), sampled from /proc/<pid>/status every 20 ms, plus the
   kernel's own high-water mark (VmHWM).
2. ZIP throughput, as a ratio to reading the same files from disk (both from
   the page cache: the files were just written). The attachments carry their
   CRC-32, as uploads do, so the ZIP reads each file once.
3. Single-download throughput (requests/s) of a 20 KB attachment, as a ratio
   to the same bytes served as a static file by WhiteNoise from STATIC_ROOT
   (collectstatic is run, and the file is copied into STATIC_ROOT before
   gunicorn starts, so WhiteNoise indexes it like any collected file).
   A bounded number of requests from a few threads; gunicorn's sync workers
   close the connection after each response, for both sides alike. The
   attachment's download_count is checked afterwards: no increment lost.

Usage: .venv/bin/python bench/downloads.py [--quick]
The report goes to stdout and to bench/results/downloads.txt.
"""

import argparse
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results" / "downloads.txt"
HOST = "127.0.0.1"
MIB = 1024 * 1024
SMALL_SIZE = 20 * 1024

SETUP_SNIPPET = """
import json, sys
import django
django.setup()
from django.utils import timezone
from news.models import Attachment, NewsClip

spec = json.loads(sys.argv[1])
def clip(slug, title):
    return NewsClip.objects.create(slug=slug, title=title, body="<p>Benchmark</p>",
                                   status=NewsClip.Status.PUBLISHED, publish_at=timezone.now())
big = clip("bench-big", "Benchmark: large attachments")
for n, item in enumerate(spec["big"]):
    Attachment.objects.create(clip=big, position=n, file=item["name"], original_name=item["original"],
                              size=item["size"], sha256=item["sha256"], crc32=item["crc32"],
                              content_type="application/pdf")
small_clip = clip("bench-small", "Benchmark: small attachment")
item = spec["small"]
small = Attachment.objects.create(clip=small_clip, file=item["name"], original_name=item["original"],
                                  size=item["size"], sha256=item["sha256"], crc32=item["crc32"],
                                  content_type="application/pdf")
print(json.dumps({"small_pk": small.pk}))
"""


def free_port():
    while True:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port != 8000:
            return port


def write_random_file(path, size):
    """Write `size` random bytes; returns their SHA-256 and CRC-32, as an upload records them."""
    digest, crc = hashlib.sha256(), 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        remaining = size
        while remaining:
            chunk = os.urandom(min(MIB, remaining))
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            handle.write(chunk)
            remaining -= len(chunk)
    return digest.hexdigest(), crc


def site_environment(tmp):
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DOWNLOAD_SENDFILE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="gwangju_site.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "k" * 60,
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}",
        SECURE_SSL_REDIRECT="0",
        VAR_DIR=str(tmp / "var"),
        PROTECTED_MEDIA_ROOT=str(tmp / "protected"),
        PDF_CACHE_ROOT=str(tmp / "pdf-cache"),
        STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True, timeout=300, **kwargs)


def get(port, path, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_ready(port, process, deadline=60):
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if get(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def worker_pids(master_pid, expected=2, deadline=30):
    until = time.monotonic() + deadline
    while True:
        children = [int(pid) for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]
        if len(children) >= expected or time.monotonic() > until:
            return children
        time.sleep(0.2)


def status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pids, interval=0.02):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peak = dict.fromkeys(pids, 0)
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            for pid in self.pids:
                try:
                    self.peak[pid] = max(self.peak[pid], status_kib(pid, "VmRSS"))
                except OSError:
                    pass
            time.sleep(self.interval)

    def stop(self):
        self.stopping.set()
        self.join()


def stream_zip(port, path, keep_to=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    total = 0
    sink = open(keep_to, "wb") if keep_to else None  # noqa: SIM115 - closed below
    try:
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"ZIP answered {response.status}")
        while chunk := response.read(MIB):
            total += len(chunk)
            if sink:
                sink.write(chunk)
        return total, time.perf_counter() - started
    finally:
        conn.close()
        if sink:
            sink.close()


def read_from_disk(paths):
    started = time.perf_counter()
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            while chunk := handle.read(MIB):
                total += len(chunk)
    return total, time.perf_counter() - started


def requests_per_second(port, path, requests, threads, expected_length, headers=None, expect_any_length=False):
    per_thread = requests // threads

    def worker(_):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        bad = 0
        try:
            for _ in range(per_thread):
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                data = response.read()
                if response.status not in (200, 206) or (len(data) != expected_length and not expect_any_length):
                    bad += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()  # http.client reconnects on the next request
        finally:
            conn.close()
        return bad

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        bad = sum(pool.map(worker, range(threads)))
    elapsed = time.perf_counter() - started
    return per_thread * threads / elapsed, per_thread * threads, bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="4 x 16 MiB and 400 requests instead of 4 x 256 MiB and 2000"
    )
    options = parser.parse_args()
    big_count, big_size = 4, (16 if options.quick else 256) * MIB
    requests, threads = (400, 4) if options.quick else (2000, 4)

    tmp = Path(tempfile.mkdtemp(prefix="gwangju-bench-downloads-"))
    env = site_environment(tmp)
    server = None
    lines = []

    def report(line=""):
        print(line, flush=True)
        lines.append(line)

    try:
        protected = tmp / "protected"
        print(f"Writing {big_count} x {big_size // MIB} MiB of random data to {tmp} ...", flush=True)
        big = []
        for n in range(1, big_count + 1):
            name = f"bench/big-{n}.pdf"
            digest, crc = write_random_file(protected / name, big_size)
            big.append({"name": name, "original": f"보고서-{n}.pdf", "size": big_size, "sha256": digest, "crc32": crc})
        small_name = "bench/small-20k.pdf"
        small_digest, small_crc = write_random_file(protected / small_name, SMALL_SIZE)
        spec = {
            "big": big,
            "small": {
                "name": small_name,
                "original": "작은 파일.pdf",
                "size": SMALL_SIZE,
                "sha256": small_digest,
                "crc32": small_crc,
            },
        }

        print("Migrating, collecting static files, creating the clips ...", flush=True)
        run([sys.executable, "manage.py", "migrate", "--noinput"], env)
        run([sys.executable, "manage.py", "collectstatic", "--noinput"], env)
        static_copy = tmp / "static" / "bench" / "small-20k.pdf"
        static_copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(protected / small_name, static_copy)
        created = json.loads(run([sys.executable, "-c", SETUP_SNIPPET, json.dumps(spec)], env).stdout.strip())

        port = free_port()
        server_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - lives as long as the server
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "gwangju_site.wsgi", "--workers", "2", "--worker-class", "sync",
             "--bind", f"{HOST}:{port}", "--timeout", "600", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=server_log,
        )  # fmt: skip
        wait_until_ready(port, server)
        pids = worker_pids(server.pid)
        small_path = f"/news/bench-small/attachments/{created['small_pk']}/"
        static_path = "/static/bench/small-20k.pdf"
        for _ in range(20):  # both workers import and warm up everything they use
            get(port, small_path)
            get(port, static_path)
        baseline = {pid: status_kib(pid, "VmRSS") for pid in pids}

        zip_target = tmp / "bundle.zip" if options.quick else None
        sampler = RssSampler(pids)
        sampler.start()
        zip_bytes, zip_seconds = stream_zip(port, "/news/bench-big/attachments.zip", keep_to=zip_target)
        sampler.stop()
        high_water = {pid: status_kib(pid, "VmHWM") for pid in pids}
        zip_check = "not kept (full run)"
        if zip_target:
            with zipfile.ZipFile(zip_target) as archive:
                bad = archive.testzip()
                verdict = "OK" if bad is None else f"BAD ENTRY {bad}"
                zip_check = f"zipfile.testzip(): {verdict}, {len(archive.namelist())} entries"
            zip_target.unlink()
        disk_bytes, disk_seconds = read_from_disk([protected / item["name"] for item in big])

        attachment_rps, attachment_n, attachment_bad = requests_per_second(
            port, small_path, requests, threads, SMALL_SIZE
        )
        # The same view without the counter's UPDATE: a range that does not start at byte 0.
        uncounted_rps, _, uncounted_bad = requests_per_second(
            port, small_path, requests, threads, SMALL_SIZE - 1, headers={"Range": "bytes=1-"}
        )
        health_rps, _, _ = requests_per_second(port, "/healthz", requests, threads, 0, expect_any_length=True)
        static_rps, static_n, static_bad = requests_per_second(port, static_path, requests, threads, SMALL_SIZE)
        with sqlite3.connect(tmp / "db.sqlite3") as db:
            (counted,) = db.execute(
                "SELECT download_count FROM news_attachment WHERE id = ?", (created["small_pk"],)
            ).fetchone()
        expected_count = 20 + attachment_n

        mib = lambda n: n / MIB  # noqa: E731
        report(f"Download benchmark ({'quick' if options.quick else 'full'}) — {time.strftime('%Y-%m-%d %H:%M')}")
        report(f"gunicorn 2 sync workers on {HOST}:{port}, DEBUG=0, SQLite, {os.cpu_count()} CPU(s)")
        report("")
        report(f"ZIP of {big_count} x {big_size // MIB} MiB random-byte attachments (stored, with Content-Length)")
        report(f"  archive size          {mib(zip_bytes):10.1f} MiB   ({zip_check})")
        report(f"  time                  {zip_seconds:10.1f} s")
        report(f"  throughput            {mib(zip_bytes) / zip_seconds:10.1f} MiB/s")
        report(f"  disk read, same files {mib(disk_bytes) / disk_seconds:10.1f} MiB/s   (page cache)")
        report(f"  ratio ZIP / disk      {(zip_bytes / zip_seconds) / (disk_bytes / disk_seconds):10.3f}")
        report("  worker memory (RSS, MiB): before -> sampled peak while streaming / kernel high-water mark")
        for pid in pids:
            report(
                f"    pid {pid:<8} {baseline[pid] / 1024:7.1f} -> {sampler.peak[pid] / 1024:7.1f} / "
                f"{high_water[pid] / 1024:7.1f}   (growth {(sampler.peak[pid] - baseline[pid]) / 1024:+.1f})"
            )
        report("")
        report(f"Single download of a {SMALL_SIZE // 1024} KB file, {requests} requests from {threads} threads")
        report(f"  attachment view       {attachment_rps:10.0f} req/s   (errors: {attachment_bad})")
        report(f"  same, uncounted range {uncounted_rps:10.0f} req/s   (errors: {uncounted_bad}; no UPDATE)")
        report(f"  /healthz (one SELECT) {health_rps:10.0f} req/s   (a minimal Django view, for scale)")
        report(f"  WhiteNoise static     {static_rps:10.0f} req/s   (errors: {static_bad})")
        report(f"  ratio view / static   {attachment_rps / static_rps:10.3f}")
        verdict = "exact" if counted == expected_count else "LOST INCREMENTS"
        report(f"  download_count        {counted} of {expected_count} expected ({verdict})")
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
