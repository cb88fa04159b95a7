"""The home trend counts like with like (issue 21 §4): the same enterprises in every month shown,
not whoever has reported so far."""
import pytest

from analytics.selectors import analytics_scope, indicator_trend, indicator_trend_comparable
from reporting.periods import month_add

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from .helpers import enterprises, grid, put

pytestmark = pytest.mark.django_db


def test_trend_sums_the_same_enterprises_every_month(client, report_type, admins, period):
    e1, e2, e3 = enterprises()
    before = month_add(period, -1)
    put(report_type, e1, before, ind=grid(revenue=(100, 100, 0, 0)))
    put(report_type, e1, period, ind=grid(revenue=(110, 210, 0, 0)))
    put(report_type, e2, period, status="pending", ind=grid(revenue=(5000, 5000, 0, 0)))  # new this month only
    put(report_type, e3, period, ind=grid(revenue=(7, 7, 0, 0)))  # 杭州: outside the scope
    scope = analytics_scope(admins["sme_ningbo"])
    points, same = indicator_trend_comparable(scope=scope, report_type=report_type, period=period, indicator="revenue")
    assert same == 1 and dict(points)[f"{before:%Y-%m}"] == 100 and dict(points)[f"{period:%Y-%m}"] == 110
    assert dict(points)[f"{month_add(period, -2):%Y-%m}"] is None  # nobody reported: blank, not 0
    assert indicator_trend(scope=scope, report_type=report_type, period=period, indicator="revenue") == points
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/", {"month": f"{period:%Y-%m}", "trend": "revenue"}).content.decode()
    assert "按图中各月均有报送的同一批1家企业合计。" in page
