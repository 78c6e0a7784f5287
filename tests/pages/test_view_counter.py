"""The view counter with a shared cache (Redis): a view is an INCR, not a database write,
and the count shown is exact; the database receives the total every FLUSH_EVERY views."""

import http.client
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news import counters
from news.models import NewsClip

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_up(), reason=f"needs Redis at {REDIS_URL}")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    from django.core.cache import cache

    yield cache
    cache.clear()


def shown_views(html):
    return int(re.search(r"<dt>Views</dt><dd>(\d+)</dd>", html).group(1))


@pytest.mark.django_db
def test_cached_views_write_nothing_and_show_the_exact_count(client, redis_cache, make_clip, monkeypatch):
    monkeypatch.setattr(counters, "FLUSH_EVERY", 5)
    clip = make_clip(view_count=10)
    client.get(clip.get_absolute_url())  # fills the page cache
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(clip.get_absolute_url()).content.decode()
    assert shown_views(html) == 12
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    for _ in range(3):
        html = client.get(clip.get_absolute_url()).content.decode()
    assert shown_views(html) == 15
    assert NewsClip.objects.get(pk=clip.pk).view_count == 15  # the fifth view since 10 wrote the total back
    assert (
        shown_views(client.head(clip.get_absolute_url()) and client.get(clip.get_absolute_url()).content.decode()) == 16
    )


THREADS, PER_THREAD = 8, 25


def read_many(address, path, times):
    host, port = address
    for _ in range(times):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status == 200
        finally:
            conn.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_concurrent_views_lose_no_count(live_server, client, redis_cache, make_clip):
    clip = make_clip(view_count=0)
    parts = urlsplit(live_server.url)
    with ThreadPoolExecutor(THREADS) as pool:
        list(
            pool.map(
                lambda _: read_many((parts.hostname, parts.port), clip.get_absolute_url(), PER_THREAD), range(THREADS)
            )
        )
    total = THREADS * PER_THREAD
    # 200 views, a multiple of FLUSH_EVERY: the database holds the total too.
    assert NewsClip.objects.get(pk=clip.pk).view_count == total
    assert shown_views(client.get(clip.get_absolute_url()).content.decode()) == total + 1


@pytest.mark.django_db
@pytest.mark.parametrize("shared", [False, True], ids=["local-memory cache", "redis"])
def test_a_worker_restart_loses_no_view(client, make_clip, shared, request):
    """A restarted worker starts with an empty local cache: with the embedded default every
    view is already in the database; with Redis the running total lives in Redis."""
    if shared:
        request.getfixturevalue("redis_cache")
    from django.core.cache import caches

    clip = make_clip(view_count=7)
    for _ in range(3):
        client.get(clip.get_absolute_url())
    if not shared:
        caches["default"].clear()  # what a new worker process has
    caches["default"].close()  # and no connections of its own
    assert shown_views(client.get(clip.get_absolute_url()).content.decode()) == 11


def test_the_redis_cache_reuses_one_client_and_still_works(redis_cache):
    first = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=False) is first
    redis_cache.set("reused", {"a": 1}, 30)
    assert redis_cache.get("reused") == {"a": 1}
    assert redis_cache.add("counter", 5) and redis_cache.incr("counter") == 6
    assert redis_cache._cache.get_client() is first
