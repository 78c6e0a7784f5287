"""Django's Redis cache, made to degrade: a Redis failure is a cache miss, never an error page.

Two changes to Django's backend:

- **Failures are misses.** Every operation that fails with a Redis error (refused, reset,
  timed out, out of memory, read-only replica) answers as if the key were absent: `get`
  returns the default, `set`/`add`/`delete` report nothing stored, `incr` raises
  ValueError as for a missing key. The site keeps rendering from the database. The
  outage is logged once with its cause, and once more when Redis answers again
  (core.outage). After a failure, calls skip Redis for `RETRY_AFTER` seconds instead of
  each waiting for their own timeout; the socket timeouts themselves are short
  (settings.REDIS_TIMEOUT). When Redis answers again the page cache's generation is
  bumped, so no page cached before an edit made during the outage is served.
- **One redis-py client per connection pool.** Django's RedisCacheClient makes a new
  `redis.Redis` object for every cache operation. With redis-py 5 and later that object
  builds its table of ~170 response callbacks each time: about 0.4 ms, more than the
  round trip to Redis itself. The client is thread-safe and holds no per-call state
  (connections come from the pool), so one per pool is enough.
"""

import functools
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

from . import outage

DEPENDENCY = "Redis (the shared cache)"
RETRY_AFTER = 1.0  # seconds without trying Redis after a failure


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisUnavailable(ValueError):
    """Raised by `incr`/`decr` while Redis fails: a ValueError, as for a missing key."""


# When each Redis (by its location) last failed: shared by every thread of the process
# (Django gives each thread its own cache object), so one failure spares them all the wait.
_down_until = {}


def _degrading(fallback):
    """Run the operation; on a Redis error (or while Redis is known to be failing) return
    `fallback(*args, **kwargs)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            down_until = _down_until.get(self._server_key, 0.0)
            if down_until and time.monotonic() < down_until:
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except RedisError as error:
                _down_until[self._server_key] = time.monotonic() + RETRY_AFTER
                outage.failed(DEPENDENCY, error, what="failing")
                return fallback(*args, **kwargs)
            if down_until and _down_until.pop(self._server_key, None) is not None:
                outage.recovered(DEPENDENCY)
                self._after_outage()
            return result

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


def _missing_number(key, delta=1, version=None):
    raise RedisUnavailable(f"Key '{key}' not found (Redis unavailable)")


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._server_key = repr(self._servers)

    @property
    def available(self):
        """False while Redis is known to fail (core.counting)."""
        return not time.monotonic() < _down_until.get(self._server_key, 0.0)

    def ping(self):
        """Ask Redis directly (readiness report); raises RedisError if it does not answer."""
        return self._cache.get_client(write=True).ping()

    def _after_outage(self):
        from . import page_cache  # a page cached before an edit made during the outage is stale

        page_cache.bump_generation()

    add = _degrading(_false)(DjangoRedisCache.add)
    get = _degrading(_default)(DjangoRedisCache.get)
    set = _degrading(_nothing)(DjangoRedisCache.set)
    touch = _degrading(_false)(DjangoRedisCache.touch)
    delete = _degrading(_false)(DjangoRedisCache.delete)
    get_many = _degrading(_empty)(DjangoRedisCache.get_many)
    has_key = _degrading(_false)(DjangoRedisCache.has_key)
    incr = _degrading(_missing_number)(DjangoRedisCache.incr)
    set_many = _degrading(_all_failed)(DjangoRedisCache.set_many)
    delete_many = _degrading(_nothing)(DjangoRedisCache.delete_many)
    clear = _degrading(_false)(DjangoRedisCache.clear)
