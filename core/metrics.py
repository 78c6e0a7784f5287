"""Prometheus metrics: requests, latency and errors by view, page-cache hits, dependencies.

Counted in every worker process. Under gunicorn each instance sets
PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py, deploy/prod.sh, the systemd unit) so
its workers share their numbers through files there and `/metrics` answers for the
whole instance, whichever worker serves it; without it (runserver, tests) the numbers
are the process's own.

`/metrics` (gwangju_site.status) is answered only to the machine itself or with
`METRICS_TOKEN`.
"""

import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import registry as default_registry

REQUESTS = Counter(
    "gwangju_http_requests_total", "Requests answered, by view, method and status class", ["view", "method", "status"]
)
LATENCY = Histogram(
    "gwangju_http_request_duration_seconds",
    "Time to answer, by view (until the response leaves Django; streamed bodies not included)",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
EXCEPTIONS = Counter("gwangju_http_exceptions_total", "Unhandled exceptions (500s), by view", ["view"])
PAGE_CACHE = Counter("gwangju_page_cache_requests_total", "Page cache lookups, by page and result", ["page", "result"])


def page_cache(page, hit):
    PAGE_CACHE.labels(page, "hit" if hit else "miss").inc()


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return match.view_name or match._func_path


class MetricsMiddleware:
    """First in the stack: times every request and counts it by view and status class."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request)
        if view == "unresolved" and response.status_code != 404:
            view = _cached_view_name(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response

    def process_exception(self, request, exception):
        EXCEPTIONS.labels(_view_name(request)).inc()


_METHODS = {"GET", "HEAD", "POST"}


def _cached_view_name(request):
    # A page answered by the page cache never resolved through Django's handler.
    from django.urls import Resolver404, resolve

    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return "unresolved"


def exposition(extra_lines=()):
    """The text Prometheus scrapes: this instance's numbers plus `extra_lines` (gauges
    computed now, such as the scheduler's age)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = default_registry.REGISTRY
    return generate_latest(registry) + "".join(f"{line}\n" for line in extra_lines).encode()
