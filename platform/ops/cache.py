"""A Redis cache that degrades instead of failing when Redis cannot be reached.

The cache only speeds things up: with Redis down every read is a miss and every write is dropped,
so pages keep working (slower) instead of answering 500. The outage is logged (at most one warning
every `LOG_EVERY` seconds per process, to keep a surge from flooding the logs); errors that are not
about the connection (a bad key, a value that does not pickle) still raise.

Settings: ``CACHES = {"default": {"BACKEND": "ops.cache.TolerantRedisCache", "LOCATION": REDIS_URL,
"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}`` — short timeouts, so a
Redis that does not answer costs half a second, not a hung worker.
"""
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
LOG_EVERY = 30.0


class TolerantRedisCache(RedisCache):
    """Django's RedisCache; a connection error makes reads miss and writes no-ops (logged)."""

    _last_warning = 0.0

    def _unavailable(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - TolerantRedisCache._last_warning >= LOG_EVERY:
            TolerantRedisCache._last_warning = now
            logger.warning("cache: Redis unavailable (%s: %s: %s); serving without the cache",
                           operation, type(exc).__name__, exc, extra={"event": "cache.unavailable"})

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            self._unavailable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            self._unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            self._unavailable("has_key", exc)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("set", exc)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("add", exc)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("set_many", exc)
            return list(data)  # Django's contract: the keys that were not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            self._unavailable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            self._unavailable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            self._unavailable("delete_many", exc)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            self._unavailable("incr", exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as exc:
            self._unavailable("clear", exc)
            return False
