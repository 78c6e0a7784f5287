"""gunicorn settings for every app instance (systemd's gwangju@.service and make prod-up).

The bind address comes from the command line (one port per instance), and so does the
control socket (one per instance: `--control-socket`). Instances sit behind nginx,
which buffers requests and responses, so a thread is busy only while the app works,
never while a client reads slowly; a few threads per worker are enough and the timeout
can stay short.
"""

import logging
import os
import shutil
import time
from datetime import UTC, datetime

import gunicorn.glogging

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 30  # nginx keeps idle upstream connections open (keepalive 16)
# Connections waiting for a thread queue in the kernel, not at nginx's door (a burst of
# thousands of readers; the kernel caps it at net.core.somaxconn).
backlog = 4096
# Recycle workers now and then, so a slow leak in a library never grows unbounded. The
# jitter is drawn per worker and is half the limit: the workers of an instance restart
# thousands of requests apart, never together, so one always serves while the other
# starts (restarting both at once stalled readers for seconds).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 2
# Access log: nginx's request id and UTC times, so a line joins nginx's (README, "Operations").
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(B)s %(M)sms req=%({x-request-id}i)s'
# Only nginx on this machine may say the request came over HTTPS.
forwarded_allow_ips = "127.0.0.1"

# Each instance's workers share their metrics through files (core.metrics); a fresh
# folder per start, so counters restart with the instance as Prometheus expects.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _metrics_dir:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, mode=0o700, exist_ok=True)


class UTCLogger(gunicorn.glogging.Logger):
    """gunicorn's logger with every time in UTC: Django sets the process's zone to the
    site's (Asia/Seoul), which would otherwise put KST in the access log."""

    def now(self):
        return datetime.now(UTC).strftime("[%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z]"


logger_class = UTCLogger
logging.Formatter.converter = time.gmtime  # gunicorn's own messages ("Booting worker") too


def on_starting(server):
    # gunicorn names itself in a Server header on every response, and has no setting to stop it;
    # nginx drops that header in front, but no response should name the software at all.
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = "gwangju"


def child_exit(server, worker):
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
