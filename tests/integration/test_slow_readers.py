"""Issue 9, F2: slow readers of a large ZIP hold nginx connections, never the app's threads.

Twenty clients read the ZIP at 1 KB/s (for at most 30 s) while /healthz and a
clip page are asked for; both must answer within 200 ms. Facing gunicorn
directly, the same readers take all 2 x 4 threads of an instance and /healthz
waits for as long as they read.
"""

import socket
import ssl
import threading
import time

import pytest

from tests.helpers import SEED_SLUG

from .conftest import PROD_DIR, host_port

pytestmark = pytest.mark.integration

READERS = 20
READ_BYTES_PER_SECOND = 1024
READ_FOR_AT_MOST = 30  # seconds
LIMIT = 0.2  # seconds


class SlowReader(threading.Thread):
    def __init__(self, site, path, stop):
        super().__init__(daemon=True)
        self.site, self.path, self.stop = site, path, stop
        self.status_line = b""
        self.received = 0
        self.started = threading.Event()

    def run(self):
        host, port = host_port(self.site.url)
        raw = socket.socket()
        # A small receive window, so the kernel does not read ahead on our behalf.
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.settimeout(10)
        context = ssl.create_default_context(cafile=self.site.ca_file)
        with context.wrap_socket(raw, server_hostname=host) as conn:
            conn.connect((host, port))
            conn.sendall(f"GET {self.path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            deadline = time.monotonic() + READ_FOR_AT_MOST
            while not self.stop.is_set() and time.monotonic() < deadline:
                chunk = conn.recv(READ_BYTES_PER_SECOND)
                if not chunk:
                    break
                if not self.status_line:
                    self.status_line = chunk.split(b"\r\n", 1)[0]
                self.received += len(chunk)
                self.started.set()
                self.stop.wait(1)
        self.started.set()


def _timed_get(session, url):
    began = time.monotonic()
    response = session.get(url, timeout=10)
    return response.status_code, time.monotonic() - began


@pytest.fixture
def slow_readers(site, large_clip):
    stop = threading.Event()
    readers = [SlowReader(site, f"/news/{large_clip.slug}/attachments.zip", stop) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    for reader in readers:
        assert reader.started.wait(15)
    yield readers
    stop.set()
    for reader in readers:
        reader.join(timeout=15)


def test_twenty_slow_zip_readers_do_not_delay_healthz_or_a_clip_page(site, slow_readers):
    session = site.session()
    session.get(f"{site.url}/news/{SEED_SLUG}/", timeout=10)  # TLS and keep-alive set up
    time.sleep(2)  # the app has long finished writing the ZIPs into nginx

    timings = []
    for _ in range(5):
        timings.append(("healthz", *_timed_get(session, site.url + "/healthz")))
        timings.append(("clip", *_timed_get(session, f"{site.url}/news/{SEED_SLUG}/")))

    assert all(reader.status_line == b"HTTP/1.1 200 OK" for reader in slow_readers)
    # The readers are still reading: a few KB each of an 8 MB archive.
    assert all(reader.is_alive() and reader.received < 1024 * 1024 for reader in slow_readers)
    assert [(name, status) for name, status, _ in timings] == [("healthz", 200), ("clip", 200)] * 5
    slow = [(name, round(seconds, 3)) for name, _, seconds in timings if seconds > LIMIT]
    assert slow == []


def test_downloads_are_limited_per_client_address(site, slow_readers, large_clip):
    spare = site.download_connections_per_ip - READERS
    error_log = PROD_DIR / "log" / "gwangju.error.log"
    logged_before = error_log.read_text() if error_log.exists() else ""
    url = f"{site.url}/news/{large_clip.slug}/attachments.zip"
    sessions = [site.session() for _ in range(spare + 1)]
    responses = []
    try:
        # Streamed: each request keeps its connection (and its slot) until closed.
        for session in sessions:
            responses.append(session.get(url, stream=True, timeout=10))
        statuses = [response.status_code for response in responses]
    finally:
        for response in responses:
            response.close()

    assert statuses.count(429) >= 1
    assert statuses.count(200) <= spare
    # A refusal is the reader's answer, not an error: no error-log line per 429 (it filled disks).
    logged = error_log.read_text()[len(logged_before) :] if error_log.exists() else ""
    assert "limiting connections" not in logged
    # Other pages are not limited.
    assert site.session().get(site.url + "/healthz", timeout=10).status_code == 200
