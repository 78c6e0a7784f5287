"""gunicorn settings for every app instance (systemd's gwangju@.service and make prod-up).

The bind address comes from the command line (one port per instance). Instances
sit behind nginx, which buffers requests and responses, so a thread is busy only
while the app works, never while a client reads slowly; a few threads per worker
are enough and the timeout can stay short.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 30  # nginx keeps idle upstream connections open (keepalive 16)
# Recycle workers now and then, so a slow leak in a library never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Only nginx on this machine may say the request came over HTTPS.
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):
    # gunicorn names itself in a Server header on every response, and has no setting to stop it;
    # nginx drops that header in front, but no response should name the software at all.
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = "gwangju"
