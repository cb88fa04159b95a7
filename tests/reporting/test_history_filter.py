"""历史报送's filter: by default the last 13 months across a year boundary, and it says so; a chosen year
(or range) lists that year; the control names what it shows (issue 21 §3)."""
import re

import pytest
from django.urls import reverse

from reporting.periods import month_add, period_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def _periods(response) -> list[str]:
    return re.findall(r'<tr data-period="([0-9-]+)">', response.content.decode())


def _selected(body: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select).group(1)


@pytest.mark.today("2027-02-10 09:00")
def test_by_default_the_last_13_months_across_the_year_and_the_page_says_so(web, reports, enterprise, report_type):
    current = period_current(report_type)  # 2027-01
    oldest = month_add(current, -12)  # 2026-01
    reports.approved(enterprise, oldest)
    response = web.get(reverse("reporting:history"))
    assert _periods(response) == [f"{month_add(current, -n):%Y-%m}" for n in range(13)]
    body = response.content.decode()
    assert _selected(body, "year_from") == "最近13个月"
    assert re.search(r'data-testid="history-window">报送期：2026年01月至2027年01月（最近13个月）</p>', body)
    assert f'<tr data-period="{oldest:%Y-%m}">' in body and "审核通过" in body
    # The years offered: this one and the back-fill year (none older is stored).
    assert re.findall(r'<option value="(\d{4})">\1年</option>', re.search(
        r'<select name="year_from".*?</select>', body, re.S).group(0)) == ["2027", "2026"]
    # The default with a status: still the last 13 months.
    assert _periods(web.get(reverse("reporting:history"), {"status": "approved"})) == [f"{oldest:%Y-%m}"]


@pytest.mark.today("2027-02-10 09:00")
def test_a_chosen_year_or_range_lists_it_and_a_reversed_range_is_named(web, report_type):
    response = web.get(reverse("reporting:history"), {"year_from": "2026"})
    assert _periods(response) == [f"2026-{m:02d}" for m in range(12, 0, -1)]
    body = response.content.decode()
    assert _selected(body, "year_from") == "2026年" and "最近13个月）" not in body
    assert "报送期：2026年01月至2026年12月" in body
    assert _periods(web.get(reverse("reporting:history"), {"year_from": "2026", "year_to": "2027"}))[:2] == [
        "2027-01", "2026-12"]
    refused = web.get(reverse("reporting:history"), {"year_from": "2027", "year_to": "2026"}).content.decode()
    assert "结束年份早于开始年份" in refused and not re.search(r'<tr data-period=', refused)

