"""Django's Redis cache, reusing one redis-py client per connection pool.

Django's RedisCacheClient makes a new `redis.Redis` object for every cache operation.
With redis-py 5 and later that object builds its table of ~170 response callbacks each
time: about 0.4 ms, more than the round trip to Redis itself, and a cached page makes
three such calls. The client is thread-safe and holds no per-call state (connections
come from the pool), so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
