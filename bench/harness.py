"""A throwaway production-like site for benchmarks: gunicorn, WhiteNoise, SQLite in a
temp folder, and a bounded load generator that talks only to 127.0.0.1."""

import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BenchSite:
    def __init__(self, workers=2, database_url=None, redis_url=None, folder=None):
        """`folder`: keep the site (database, files) there and reuse it next time, rather
        than a temporary folder deleted at the end."""
        self.workers = workers
        self.keep = folder is not None
        self.tmp = Path(folder).resolve() if folder else Path(tempfile.mkdtemp(prefix="gwangju-bench-"))
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(self.tmp / "var"),
            "PROTECTED_MEDIA_ROOT": str(self.tmp / "protected"),
            "PDF_CACHE_ROOT": str(self.tmp / "pdf"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "gwangju_site.settings",
        }
        self.env.pop("DATABASE_URL", None)
        self.env.pop("REDIS_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        if redis_url:
            self.env["REDIS_URL"] = redis_url

    def __enter__(self):
        self.manage("migrate", "--noinput", "-v0")
        return self

    def __exit__(self, *exc):
        self.stop()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def seeded(self):
        return (self.tmp / "seeded").exists()

    def mark_seeded(self):
        (self.tmp / "seeded").touch()

    def manage(self, *args):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def manage_python(self, code, *args):
        script = "import django; django.setup()\n" + code
        result = subprocess.run(
            [PYTHON, "-c", script, *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )
        return result.stdout.strip()

    def static_copy(self, size):
        """A file of `size` bytes that WhiteNoise serves from STATIC_ROOT; gunicorn restarts to see it."""
        name = f"bench/page-{size}.html"
        path = Path(self.env["STATIC_ROOT"]) / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * size)
            self.stop()
            self.start(collect=False)
        return "/static/" + name

    def start(self, collect=True):
        if collect:
            self.manage("collectstatic", "--noinput", "-v0")
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "gwangju_site.wsgi",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list
    size: int
    errors: int

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def load(url, total, threads, headers=None):
    """`total` GET requests spread over `threads`, one connection per request (gunicorn sync)."""
    headers = {"Accept-Encoding": "identity", **(headers or {})}
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, sizes, errors = [], [], [0]
    lock = threading.Lock()
    per_thread = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]

    def worker(count):
        for _ in range(count):
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                connection.close()
                ok = response.status == 200
            except OSError:
                ok, body = False, b""
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                sizes.append(len(body))
                if not ok:
                    errors[0] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in per_thread]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    return Result(total, seconds, latencies, int(statistics.median(sizes)) if sizes else 0, errors[0])


def report_line(name, cached, uncached, static):
    def ratio(result):
        return result.rps / static.rps if static.rps else 0

    errors = cached.errors + uncached.errors
    return (
        f"{name:28} {cached.size:>7} {uncached.rps:>8.0f} {uncached.percentile(0.5):>6.1f} {ratio(uncached):>6.2f}"
        f" {cached.rps:>7.0f} {cached.percentile(0.5):>6.1f} {ratio(cached):>6.2f} {static.rps:>7.0f}"
        + (f"  ({errors} errors)" if errors else "")
    )
