"""The view counter: every view is one UPDATE in the database, so the database is exact at
once and nothing lives only in Redis; a request nginx retries (same request id) counts once."""

import http.client
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection

from news.models import NewsClip

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_up():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_up(), reason=f"needs Redis at {REDIS_URL}")


def forget_test_keys(cache):
    """Delete this test's keys, and only them: `cache.clear()` is FLUSHDB, which would empty the
    Redis other test processes (pytest -n 2) and other people's work share."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)


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
    forget_test_keys(cache)


def test_a_test_forgets_its_own_redis_keys_and_no_one_elses(redis_cache):
    shared = redis.Redis.from_url(REDIS_URL)
    someone_elses = f"not-this-test-{uuid.uuid4().hex}"
    shared.set(someone_elses, "kept", ex=60)
    redis_cache.set("mine", 1)
    forget_test_keys(redis_cache)
    assert redis_cache.get("mine") is None
    assert shared.get(someone_elses) == b"kept"
    shared.delete(someone_elses)


def shown_views(html):
    return int(re.search(r"<dt>Views</dt><dd>(\d+)</dd>", html).group(1))


@pytest.mark.django_db
def test_cached_views_are_in_the_database_at_once_and_show_the_exact_count(client, redis_cache, make_clip):
    clip = make_clip(view_count=10)
    client.get(clip.get_absolute_url())  # fills the page cache
    for expected in (12, 13, 14):
        html = client.get(clip.get_absolute_url()).content.decode()
        assert shown_views(html) == expected
        assert NewsClip.objects.get(pk=clip.pk).view_count == expected  # no lag behind the page
    client.head(clip.get_absolute_url())
    assert NewsClip.objects.get(pk=clip.pk).view_count == 14  # a HEAD is not a view


@pytest.mark.django_db
def test_a_flushed_redis_loses_no_view(client, redis_cache, make_clip):
    clip = make_clip(view_count=0)
    for _ in range(5):
        client.get(clip.get_absolute_url())
    redis_cache.clear()  # Redis lost or flushed
    assert shown_views(client.get(clip.get_absolute_url()).content.decode()) == 6
    assert NewsClip.objects.get(pk=clip.pk).view_count == 6


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from the page cache"])
def test_a_request_nginx_retries_on_another_instance_is_counted_once(client, redis_cache, make_clip, cached):
    clip = make_clip(view_count=0)
    if cached:
        client.head(clip.get_absolute_url())  # fills the page cache without a view
    retried = {"HTTP_X_REQUEST_ID": uuid.uuid4().hex}
    client.get(clip.get_absolute_url(), **retried)
    client.get(clip.get_absolute_url(), **retried)  # nginx's second attempt, same request id
    client.get(clip.get_absolute_url(), HTTP_X_REQUEST_ID=uuid.uuid4().hex)
    client.get(clip.get_absolute_url(), HTTP_X_REQUEST_ID="not-an-nginx-id")  # no valid id: counted
    assert NewsClip.objects.get(pk=clip.pk).view_count == 3


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
    assert NewsClip.objects.get(pk=clip.pk).view_count == total
    assert shown_views(client.get(clip.get_absolute_url()).content.decode()) == total + 1


@pytest.mark.django_db
@pytest.mark.parametrize("shared", [False, True], ids=["local-memory cache", "redis"])
def test_a_worker_restart_loses_no_view(client, make_clip, shared, request):
    """A restarted worker starts with an empty local cache and no connections: every view is
    already in the database."""
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
