"""Browser tests: Playwright on Debian's Chromium (no browser download), against live_server.

Run with `pytest -m e2e`. Screenshots go to screenshots/ (ignored by git).
"""
import os
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


class _SerialWSGIServer(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On the in-memory SQLite test database every server thread shares the test's one connection
    object (Django's connections_override), with its transaction state. Two requests at once (a page
    and its htmx call) can interleave their `transaction.atomic` blocks on it and leave it inside an
    atomic block for good; every later `on_commit` (an SMS code, a queued task) then never runs.
    Connections stay threaded (keep-alive), the application runs under a lock, and a response's
    body is read out before the lock is released.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def serial(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(serial)


LiveServerThread.server_class = _SerialWSGIServer


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture(autouse=True)
def _browser_on_the_pinned_clock(request, monkeypatch):
    """Pages see the test's clock (tests/conftest.py: `travel`): every context this test opens, through
    `page`, `phone_page` or `browser.new_context`, gets Playwright's `clock.set_system_time` at the server's
    now, so the page's Date() agrees with the live server (same process, pinned by time-machine). Only Date
    moves: timers (htmx polling) keep real time.

    What cannot be pinned: Chromium's cookie store and HTTP cache use the machine's real clock. Django sends
    Max-Age with every expiring cookie (the CSRF cookie: CSRF_COOKIE_AGE), which Chromium prefers to Expires,
    so a cookie lives as long as the server meant however far the test clock is from the real one; the
    session cookie has no expiry (SESSION_EXPIRE_AT_BROWSER_CLOSE). tests/e2e/test_clock.py checks both.
    """
    if "browser" not in request.fixturenames:
        return
    from django.utils import timezone

    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def pinned(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.clock.set_system_time(timezone.now())
        return context

    monkeypatch.setattr(browser, "new_context", pinned)


@pytest.fixture
def wagtail_site(transactional_db):
    """live_server tests flush the database, taking Wagtail's root page and Site with it."""
    import uuid

    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale, translation_key=uuid.uuid4()))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="中小企业运行监测平台", slug="home", locale=locale))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


_SNAPSHOTS: dict = {}


def _seeded(key: str, build) -> None:
    """Run ``build`` once per test process and restore its result by SQLite's backup API afterwards.

    live_server tests flush the database after each test, so each would otherwise load the
    reference data and the demo again (seconds each). On the in-memory SQLite test database the
    first build is copied page by page into a private in-memory database, and later tests copy it
    back (milliseconds). Every test still starts from exactly the data ``build`` produces. Other
    databases simply build every time. The demo is built relative to today, so a snapshot serves
    only tests on the day it was built (a test that travels gets its own).
    """
    from django.db import connection
    from django.utils import timezone

    key = f"{key}@{timezone.localdate():%Y-%m-%d}"

    connection.ensure_connection()
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        build()
        return
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        build()
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _SNAPSHOTS[key] = snapshot
    else:
        snapshot.backup(connection.connection)
        # In-process caches may hold rows of the data the restore replaced (Wagtail's site root
        # paths, content types): forget them.
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import caches

        for cache in caches.all():
            cache.clear()
        ContentType.objects.clear_cache()


@pytest.fixture
def e2e_demo(wagtail_site, transactional_db):
    from accounts.demo import seed_demo
    from regions.services import refdata_load

    def build():
        refdata_load()
        seed_demo()

    _seeded("demo", build)


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot():
    """shot(page, name): save a full-page screenshot to screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def _shot(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _shot


def last_code(mobile: str) -> str:
    from accounts.models import SmsMessage

    message = SmsMessage.objects.filter(mobile=mobile).order_by("-id").first()
    assert message is not None, f"no SMS to {mobile}"
    return re.search(r"\d{6}", message.text).group(0)


def login(page, base_url: str, username: str, password: str, mobile: str, next_url: str = "") -> None:
    """Log in through the real two-step form, reading the SMS code from the outbox."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/login/verify/"))
    page.fill("input[name=code]", last_code(mobile))
    page.click("main button[type=submit]:not([name=action])")
