"""The browser on the test clock (issue 22): the page's Date() is the server's pinned now, and cookies live as
long as the server meant even when the test clock is years away from the machine's (Max-Age, not Expires)."""
import datetime
import re

import pytest
import time_machine

from .conftest import login

PASSWORD = "Demo@2026sme"


def _login_and_check(page, base):
    from django.utils import timezone

    login(page, base, "com_demo01", PASSWORD, "13800000001")
    page.wait_for_url(re.compile(r"/$"))
    assert "当期报送" in page.inner_text("main")  # the POSTs with the CSRF cookie went through
    shown = datetime.datetime.fromisoformat(page.evaluate("new Date().toISOString()").replace("Z", "+00:00"))
    assert abs(shown - timezone.now()) < datetime.timedelta(minutes=5)
    csrf = next(c for c in page.context.cookies() if c["name"] == "csrftoken")
    # Chromium counts Max-Age on the machine's real clock: a year from really now.
    assert csrf["expires"] > time_machine.escape_hatch.time.time() + 300 * 86400


def test_the_page_sees_the_pinned_day(live_server, e2e_demo, page):
    _login_and_check(page, live_server.url)


@pytest.mark.today("2024-03-01")
def test_cookies_outlive_a_test_clock_years_behind_the_real_one(live_server, e2e_demo, page):
    """The server's CSRF cookie Expires (2025-03-01) is already past on the real clock; its Max-Age holds."""
    _login_and_check(page, live_server.url)
