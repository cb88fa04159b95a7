"""The administrator home's tiles link to the lists they count (issue 21 §4): each tile's link opens
the review list filtered to exactly the enterprises it counts."""
import re

import pytest

from reporting.periods import month_add

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from .helpers import enterprises, put

pytestmark = pytest.mark.django_db

TILES = ("registered", "reported", "to-report", "not-filled", "pending", "returned", "approved")


def _tiles_follow(client, report_type, month) -> dict:
    html = client.get("/admin/", {"type": report_type.key, "month": f"{month:%Y-%m}"}).content.decode()
    seen = {}
    for key in TILES:
        found = re.search(rf'<a href="([^"]+)" data-testid="tile-{key}"><span>(\d+)</span>', html)
        assert found, key
        url, number = found.group(1).replace("&amp;", "&"), int(found.group(2))
        page = client.get(url)
        assert page.status_code == 200 and page.context["filters"].form.is_valid(), key
        assert page.context["page_obj"].paginator.count == number, key
        seen[key] = number
    assert seen["registered"] == seen["reported"] + seen["to-report"]
    return seen


def test_each_home_tile_opens_the_list_it_counts(client, report_type, admins, period):
    e1, e2, e3 = enterprises()
    before = month_add(period, -1)
    put(report_type, e1, period)
    put(report_type, e2, period, status="pending")
    put(report_type, e3, period, status="returned")
    put(report_type, e1, before)
    client.force_login(admins["sme_zhejiang"])
    now = _tiles_follow(client, report_type, period)
    assert now["pending"] == now["returned"] == 1 and now["approved"] >= 1
    earlier = _tiles_follow(client, report_type, before)
    assert earlier["not-filled"] >= 2 and earlier["approved"] == 1
