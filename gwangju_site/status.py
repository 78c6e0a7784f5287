"""What an operator watches: the readiness report (`/healthz/ready`) and metrics (`/metrics`).

`/healthz` stays the liveness check a load balancer uses (the process answers and
reaches the database). `/healthz/ready` looks at everything the site leans on and says
"ok", "degraded" (still serving, with the reasons: Redis down, disk nearly full, the
scheduler late) or "unavailable" (no database: 503). `/metrics` is the same facts and the
request counters in Prometheus' text format.

Both describe the machine, so they answer only to the machine itself (a request that
reached the app with a loopback client address, directly or through nginx) or to
`Authorization: Bearer <METRICS_TOKEN>`; anyone else gets a 404.
"""

import hmac
import ipaddress
import os
import shutil
import tempfile
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import metrics

SCHEDULER_LATE_SECONDS = 300  # the scheduler runs every minute; five missed runs is late


def _client_address(request):
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.PROXY_COUNT else ""
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")


def _allowed(request):
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return ipaddress.ip_address(_client_address(request)).is_loopback
    except ValueError:
        return False


def check_database():
    try:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, f"answers in {1000 * (time.perf_counter() - started):.0f} ms"
    except DatabaseError as error:
        return False, f"does not answer ({type(error).__name__}: {str(error).strip().splitlines()[0]})"


def check_redis():
    ping = getattr(cache, "ping", None)
    if ping is None:
        return True, "not used (per-process cache)"
    try:
        ping()
        return True, "answers"
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        return False, f"does not answer ({type(error).__name__}: {error}); pages are rendered from the database"


def check_files():
    folder = settings.PROTECTED_MEDIA_ROOT
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ready-"):
            pass
        free = shutil.disk_usage(folder).free
    except OSError as error:
        return False, f"{folder} is not writable ({error.strerror or error})", None
    free_mb = free // (1024 * 1024)
    if free_mb < settings.READY_MIN_FREE_MB:
        return False, f"{folder}: only {free_mb} MB free (below READY_MIN_FREE_MB={settings.READY_MIN_FREE_MB})", free
    return True, f"writable, {free_mb} MB free", free


def scheduler_age():
    """Seconds since the scheduler last ran (news.publishing), or None if it never has."""
    try:
        return max(time.time() - os.stat(settings.SCHEDULER_HEARTBEAT_FILE).st_mtime, 0.0)
    except OSError:
        return None


def check_scheduler():
    age = scheduler_age()
    if age is None:
        return False, "has never run (make run / prod-up start it; see README, Operations)"
    if age > SCHEDULER_LATE_SECONDS:
        return False, f"last ran {age:.0f} s ago: scheduled clips are not recorded as live"
    return True, f"last ran {age:.0f} s ago"


def report():
    checks = {}
    database_ok, checks["database"] = check_database()
    redis_ok, checks["redis"] = check_redis()
    files_ok, checks["files"], _ = check_files()
    scheduler_ok, checks["scheduler"] = check_scheduler()
    # Views and downloads are written to the database as they happen (news.public.counters).
    checks["counters"] = "no backlog: counted in the database at once"
    health = {"database": database_ok, "redis": redis_ok, "files": files_ok, "scheduler": scheduler_ok}
    reasons = [f"{name} {checks[name]}" for name, ok in health.items() if not ok]
    status = "unavailable" if not database_ok else "degraded" if reasons else "ok"
    return {"status": status, "reasons": reasons, "checks": checks}


@require_safe
@never_cache
def readiness(request):
    if not _allowed(request):
        raise Http404
    result = report()
    return JsonResponse(result, status=503 if result["status"] == "unavailable" else 200)


@require_safe
@never_cache
def metrics_view(request):
    if not _allowed(request):
        raise Http404
    database_ok, _ = check_database()
    redis_ok, _ = check_redis()
    files_ok, _, free = check_files()
    age = scheduler_age()
    lines = [
        "# HELP gwangju_up Whether a dependency answers (1) or not (0), seen from this instance",
        "# TYPE gwangju_up gauge",
        f'gwangju_up{{dependency="database"}} {int(database_ok)}',
        f'gwangju_up{{dependency="redis"}} {int(redis_ok)}',
        f'gwangju_up{{dependency="files"}} {int(files_ok)}',
        "# HELP gwangju_files_free_bytes Free space where the protected files live",
        "# TYPE gwangju_files_free_bytes gauge",
        f"gwangju_files_free_bytes {free if free is not None else 'NaN'}",
        "# HELP gwangju_scheduler_age_seconds Seconds since the scheduler last ran (NaN: never)",
        "# TYPE gwangju_scheduler_age_seconds gauge",
        f"gwangju_scheduler_age_seconds {age if age is not None else 'NaN'}",
        "# HELP gwangju_counter_backlog Views and downloads counted but not yet in the database",
        "# TYPE gwangju_counter_backlog gauge",
        "gwangju_counter_backlog 0",
    ]
    return HttpResponse(metrics.exposition(lines), content_type="text/plain; version=0.0.4; charset=utf-8")
