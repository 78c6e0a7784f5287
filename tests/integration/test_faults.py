"""Issue 25: one part of the arrangement broken at a time, under load, through nginx.

Each test is bounded (a few seconds of fault, a fixed number of requests) and puts the
part back however it ends. Redis is stopped only when it is the arrangement's own
(deploy/prod.sh started it; never a Redis given with PROD_REDIS_URL); the database is
made to refuse connections with ALLOW_CONNECTIONS, which touches no other database on
the server.
"""

import re
import subprocess
import time
import uuid

import pytest

from tests.helpers import SEED_SLUG, pdf_bytes

from .conftest import PROD_DIR, ROOT, publish_clip
from .load import Load

pytestmark = pytest.mark.integration

LOG = PROD_DIR / "log"
PAGES = ["/", "/news/", f"/news/{SEED_SLUG}/", "/projects/", "/policies/", f"/news/{SEED_SLUG}/attachments/1/"]


def _lines(path, since=0):
    """The lines of a log file after byte offset `since`."""
    with open(path, "rb") as handle:
        handle.seek(since)
        return handle.read().decode(errors="replace").splitlines()


def _size(path):
    return path.stat().st_size if path.exists() else 0


def _ready(site):
    return site.session().get(site.url + "/healthz/ready", timeout=10)


def _wait_until(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def own_redis(site):
    info = dict(line.split("=", 1) for line in (PROD_DIR / "arrangement").read_text().splitlines() if "=" in line)
    if info.get("OWN_REDIS") != "1":
        pytest.skip("Redis was given with PROD_REDIS_URL: not the arrangement's to stop")
    yield
    site.prod("redis-start")


def test_with_redis_killed_under_load_every_page_answers_and_every_view_is_counted(site, own_redis):
    clip_page = f"/news/{SEED_SLUG}/"
    views_before = site.views(SEED_SLUG)
    downloads_before = site.downloads(1)
    app_log = LOG / "app.log"
    since = _size(app_log)

    with Load(site, PAGES, connections=12) as load:
        load.wait_for_requests(60)
        site.prod("redis-stop")
        during = load.total
        load.wait_for_requests(during + 150)  # readers keep reading with Redis gone
        readiness = _ready(site)
        site.prod("redis-start")
        after = load.total
        load.wait_for_requests(after + 60)

    assert load.failures() == {}, load.errors
    assert set(load.statuses()) == {200}
    assert load.total >= during + 150
    # Nothing lost: the database holds every view and download, Redis or not.
    # (what the edge cache served is counted from its log within seconds)
    views = views_before + load.by_path[clip_page, 200]
    downloads = downloads_before + load.by_path[f"/news/{SEED_SLUG}/attachments/1/", 200]
    _wait_until(lambda: site.views(SEED_SLUG) >= views and site.downloads(1) >= downloads, timeout=10)
    assert site.views(SEED_SLUG) == views
    assert site.downloads(1) == downloads
    # The operator is told, once per process and with the cause, not once per request.
    assert readiness.status_code == 200
    assert readiness.json()["status"] == "degraded"
    assert any(reason.startswith("redis does not answer") for reason in readiness.json()["reasons"])
    failing = [line for line in _lines(app_log, since) if "Redis (the shared cache) is failing" in line]
    assert 1 <= len(failing) <= 6, failing  # two instances of two workers, the scheduler
    assert all("Error" in line for line in failing)  # the cause (ConnectionError: ...)
    assert _wait_until(lambda: _ready(site).json()["status"] == "ok", timeout=30)


@pytest.fixture
def database_refusing(site):
    name = site.env["DATABASE_URL"].rsplit("/", 1)[1]
    admin = site.env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        connection.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")

    def back():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    yield back
    back()


def test_with_the_database_refusing_readers_get_the_apps_503_page_never_a_502_storm(site, request):
    pages = ["/news/", "/projects/", f"/news/{SEED_SLUG}/", "/search/?q=hydrogen"]
    # Through the port pinned to instance A, which has no edge cache: through the main port the
    # edge would answer these few pages itself for the whole (short) outage.
    with Load(site, pages, connections=12, base=site.url_a) as load:
        load.wait_for_requests(40)
        back = request.getfixturevalue("database_refusing")
        refusing = load.total
        load.wait_for_requests(refusing + 200)
        # A page no cache holds (cached pages are still served: no database needed).
        page = site.session().get(site.url + "/search/?q=outage" + uuid.uuid4().hex[:8], timeout=10)
        readiness = _ready(site)
        health = site.session().get(site.url + "/healthz", timeout=10)
        back()
        returned = time.monotonic()
        # Back to normal at once: the first requests after the database returns are answered.
        assert _wait_until(lambda: site.session().get(site.url + "/projects/", timeout=10).status_code == 200, 10)
        recovered_in = time.monotonic() - returned
        settled = load.total
        load.wait_for_requests(settled + 100)

    statuses = load.statuses()
    assert 502 not in statuses and 504 not in statuses, load.errors
    assert set(statuses) <= {200, 503}
    assert statuses.get(503, 0) > 0  # the fault was real
    assert {k: v for k, v in load.failures().items() if k != 503} == {}, load.errors
    # Readers of cached pages kept reading.
    assert load.by_path["/news/", 200] > 0
    # The 503 is the app's own page (with the site's design), passed on by nginx.
    assert page.status_code == 503 and "Gwangju" in page.text and page.headers["Retry-After"]
    assert "Back in a moment" not in page.text  # not nginx's "no instance answered" page
    assert health.status_code == 503 and readiness.status_code == 503
    assert readiness.json()["status"] == "unavailable"
    assert recovered_in < 5
    # No lingering errors: after the database came back, every request answered 200.
    tail = Load(site, pages, connections=8).run(requests_per_connection=10)
    assert tail.statuses() == {200: 80}, tail.errors


def test_a_thousand_connections_on_the_home_page_get_no_error(site):
    load = Load(site, ["/"], connections=1000, timeout=120, connect_timeout=60).run(requests_per_connection=2)

    assert load.failures() == {}, load.errors  # no 5xx, no refused, reset or timed-out connection
    assert load.statuses() == {200: 2000}


def test_a_rolling_restart_under_load_gives_no_reader_an_error(site):
    pids = {
        port: (PROD_DIR / "run" / f"gunicorn-{port}.pid").read_text().strip()
        for port in (site.app_port_a, site.app_port_b)
    }
    with Load(site, PAGES + ["/news/feed/", "/sitemap.xml"], connections=16) as load:
        load.wait_for_requests(50)
        restart = subprocess.run(
            ["make", "--no-print-directory", "prod-restart"], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        after = load.total
        load.wait_for_requests(after + 50)

    assert restart.returncode == 0, restart.stderr
    assert load.failures() == {}, load.errors
    assert set(load.statuses()) == {200}
    new_pids = {port: (PROD_DIR / "run" / f"gunicorn-{port}.pid").read_text().strip() for port in pids}
    assert all(new_pids[port] != pids[port] for port in pids), "both instances restarted"


def test_views_and_downloads_are_exact_after_an_instance_is_killed_mid_run(site, admin_a):
    clip = publish_clip(site, admin_a, site.url_a, [("killed.pdf", pdf_bytes("killed mid-run"))])
    pk = clip.attachments[0][0]
    page, download = f"/news/{clip.slug}/", f"/news/{clip.slug}/attachments/{pk}/"
    try:
        with Load(site, [page, download], connections=16) as load:
            load.wait_for_requests(150)
            site.prod("kill-instance", site.app_port_b)  # SIGKILL: requests in flight die with it
            killed = load.total
            load.wait_for_requests(killed + 150)
    finally:
        site.prod("start-instance", site.app_port_b)

    # A response the killed instance was sending at that moment is cut short: nginx had passed
    # its status line on (it streams what it buffers). The app answered it, so it counts.
    failures = load.failures()
    assert set(failures) <= {"truncated"} and failures.get("truncated", 0) <= 16, load.errors
    assert site.views(clip.slug) == load.by_path[page, 200] + load.by_path[page, "truncated"]
    assert site.downloads(pk) == load.by_path[download, 200] + load.by_path[download, "truncated"]


def test_with_no_instance_answering_readers_get_a_page_not_a_bare_502(site):
    try:
        site.prod("stop-instance", site.app_port_a)
        site.prod("stop-instance", site.app_port_b)
        response = site.session().get(site.url + "/news/", timeout=30)
    finally:
        site.prod("start-instance", site.app_port_a)
        site.prod("start-instance", site.app_port_b)

    assert response.status_code == 503
    assert "Back in a moment" in response.text
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Content-Type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert site.session().get(site.url + "/news/", timeout=30).status_code == 200


def test_a_request_id_joins_nginx_gunicorn_and_the_app_logs_all_in_utc(site):
    sizes = {path: _size(path) for path in LOG.glob("*.log")}
    response = site.session().get(site.url + "/no-such-page-for-the-log/", timeout=10)
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)

    def found():
        return {
            path.name: line
            for path in LOG.glob("*.log")
            for line in _lines(path, sizes.get(path, 0))
            if request_id in line
        }

    def gunicorn_access_line():
        # gunicorn's file also takes the app's stderr (Django's "Not Found" for this request,
        # written before the response); its own access line is the one that ends in req=<id>,
        # written after the response, so it may land a moment after nginx's.
        return next(
            (
                line
                for path in LOG.glob("gunicorn-*.log")
                for line in _lines(path, sizes.get(path, 0))
                if line.rstrip().endswith(f"req={request_id}")
            ),
            None,
        )

    assert _wait_until(lambda: {"gwangju.access.log", "app.log"} <= set(found()), timeout=10), found()
    assert _wait_until(lambda: gunicorn_access_line() is not None, timeout=10), found()
    lines = found()
    assert "+00:00]" in lines["gwangju.access.log"]  # nginx: ISO 8601, UTC
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", lines["app.log"])  # the app: UTC
    assert re.match(r"\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\]", gunicorn_access_line())  # gunicorn: UTC


def test_metrics_and_readiness_answer_this_machine_only(site):
    # A page on each instance first: an instance restarted by an earlier test has no page-cache
    # lookup to report yet, and nginx may send /metrics to either.
    for url in (site.url_a, site.url_b):
        site.session().get(url + "/news/", timeout=10)
    metrics = site.session().get(site.url + "/metrics", timeout=10)
    ready = _ready(site)
    # As nginx would forward a reader from elsewhere, straight to an instance.
    outside = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    import requests

    direct = f"http://127.0.0.1:{site.app_port_a}"
    from_outside = [requests.get(direct + path, headers=outside, timeout=10) for path in ("/metrics", "/healthz/ready")]

    assert metrics.status_code == 200
    for name in (
        "gwangju_http_requests_total",
        "gwangju_http_request_duration_seconds_bucket",
        "gwangju_page_cache_requests_total",
        "gwangju_counter_backlog",
        "gwangju_scheduler_age_seconds",
    ):
        assert name in metrics.text
    assert ready.status_code == 200 and ready.json()["checks"]["scheduler"].startswith("last ran")
    assert [response.status_code for response in from_outside] == [404, 404]


def test_every_log_rotates_and_is_written_again_afterwards(site):
    site.prod("rotate-logs")
    site.session().get(site.url + "/no-such-page-after-rotation/", timeout=10)

    for name in ("gwangju.access.log", "app.log", f"gunicorn-{site.app_port_a}.log", "scheduler.log"):
        assert (LOG / f"{name}.1").exists() or (LOG / f"{name}.1.gz").exists(), name
    assert _wait_until(lambda: "no-such-page-after-rotation" in (LOG / "gwangju.access.log").read_text(), 10)
    assert _wait_until(lambda: "no-such-page-after-rotation" in (LOG / "app.log").read_text(), 10)


def test_the_arrangement_runs_the_scheduler_a_scheduled_clip_goes_live_with_its_history(site, admin_a):
    clip = publish_clip(site, admin_a, site.url_a, [("scheduled.pdf", pdf_bytes("scheduled"))])
    with site.db() as connection:
        publish_at = connection.execute(
            "UPDATE news_newsclip SET status = 'scheduled', publish_at = now() + interval '1 second' "
            "WHERE slug = %s RETURNING publish_at",
            (clip.slug,),
        ).fetchone()[0]

    def went_live():
        return site.scalar("SELECT status FROM news_newsclip WHERE slug = %s", clip.slug) == "published"

    assert _wait_until(went_live, timeout=45)  # the scheduler runs every 30 s
    recorded = site.scalar(
        "SELECT r.created FROM news_cliprevision r JOIN news_newsclip c ON c.id = r.clip_id "
        "WHERE c.slug = %s AND r.action = 'went_live'",
        clip.slug,
    )
    assert recorded == publish_at  # the publication time, not the time the scheduler noticed


def test_the_cron_wrapper_runs_a_command_with_the_env_file_exported(site):
    heartbeat = PROD_DIR / "scheduler-last-run"
    before = heartbeat.stat().st_mtime if heartbeat.exists() else 0
    time.sleep(0.05)

    run = subprocess.run(
        [str(ROOT / "deploy" / "cron-task"), "publish_scheduled", "--verbosity", "2"],
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": str(PROD_DIR / "env")},  # cron's bare environment
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr
    assert "clip(s) went live" in run.stdout
    assert heartbeat.stat().st_mtime > before
