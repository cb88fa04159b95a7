"""Redis down: the cache degrades to misses and dropped writes, pages keep working."""
import logging
import os

import pytest
from django.core.cache import caches
from django.urls import reverse

from ops.cache import TolerantRedisCache

OPTIONS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}


@pytest.fixture
def down(monkeypatch):
    # The outage warning is rate-limited per process: forget one logged by an earlier test.
    monkeypatch.setattr(TolerantRedisCache, "_last_warning", 0.0)
    return TolerantRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": OPTIONS})  # connection refused


def test_reads_miss_and_writes_are_dropped_when_redis_is_down(down, caplog):
    with caplog.at_level(logging.WARNING, logger="ops.cache"):
        down.set("k", 1)
        assert down.get("k", "default") == "default"
        assert down.get_or_set("k", 5) == 5
        assert down.add("k", 1) is False and down.has_key("k") is False
        assert down.get_many(["a", "b"]) == {} and down.set_many({"a": 1}) == ["a"]
        assert down.delete("k") is False and down.touch("k") is False
        down.delete_many(["a"])
        with pytest.raises(ValueError):
            down.incr("counter")
    assert "Redis unavailable" in caplog.text


def test_other_errors_still_raise(down):
    import pickle

    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        down.set("k", lambda: 1)  # a value that cannot be stored is a bug, not an outage


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (the PostgreSQL + Redis CI step)")
def test_a_reachable_redis_is_used():
    cache = TolerantRedisCache(os.environ["REDIS_URL"], {"OPTIONS": OPTIONS})
    cache.set("ops-test", "v", 5)
    assert cache.get("ops-test") == "v"
    cache.delete("ops-test")


@pytest.mark.django_db
def test_pages_work_with_the_cache_down(settings, client, demo_core):
    settings.CACHES = {"default": {"BACKEND": "ops.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": OPTIONS}}
    from accounts.models import User

    caches._settings = caches.settings = settings.CACHES  # the handler read CACHES at startup
    try:
        caches["default"]  # built from the new settings
        client.force_login(User.objects.get(username="com_demo01"))
        response = client.get(reverse("reporting:history"))
        assert response.status_code == 200 and "历史报送" in response.content.decode()
        assert client.get(reverse("accounts:login")).status_code in (200, 302)
    finally:
        del caches.settings
