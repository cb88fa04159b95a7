"""The numbers behind the query charts (issue 21 §4): 报送龙虎榜 as bars in rank order,
年度报送企业数统计 as a months × regions heatmap; the page carries the chart's data."""
import json
import re

import pytest

from analytics.queries import query_build
from analytics.selectors import analytics_scope
from reporting.periods import month_add

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from .helpers import enterprises, put

pytestmark = pytest.mark.django_db


def _chart(key, user, report_type, **data):
    query = query_build(key, scope=analytics_scope(user), report_type=report_type, data=data)
    assert query.valid, query.form.errors
    objects = query.objects()
    return query, list(query.cells(objects)), query.chart(objects)


def test_leaderboard_bars_follow_the_ranking(report_type, admins, period):
    e1, e2, _e3 = enterprises()
    put(report_type, e1, period)
    put(report_type, e2, period, status="pending")
    query, rows, chart = _chart("leaderboard", admins["sme_ningbo"],
                                report_type, month=f"{period:%Y-%m}")
    assert chart["kind"] == "bar" and chart["categories"] == [cells[1] for _r, cells in rows]
    approved, pending = chart["series"]
    assert approved["name"] == "审核通过" and approved["data"] == [cells[6] for _r, cells in rows]
    assert pending["data"] == [cells[3] for _r, cells in rows]
    assert sum(approved["data"]) == 1


def test_year_counts_heatmap_is_months_by_regions(client, report_type, admins, period):
    e1, e2, _e3 = enterprises()
    put(report_type, e1, period)
    put(report_type, e2, period)
    if month_add(period, -1).year == period.year:
        put(report_type, e1, month_add(period, -1))
    query, rows, chart = _chart("year_counts", admins["sme_ningbo"], report_type, year=str(period.year))
    assert chart["kind"] == "heatmap" and len(chart["x"]) == 12 and chart["x"][0] == "一月"
    regions = [cells[0] for r, cells in rows if r.name]
    assert chart["y"] == regions and "合计" not in chart["y"]
    by_cell = {(m, y): v for m, y, v in chart["data"]}
    for y, (r, cells) in enumerate((r, c) for r, c in rows if r.name):
        assert [by_cell[(m, y)] for m in range(12)] == list(cells[1:13])
    assert sum(v for (m, _y), v in by_cell.items() if m == period.month - 1) == 2 and chart["max"] == max(by_cell.values())
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/year_counts/", {"year": str(period.year)}).content.decode()
    data = json.loads(re.search(r'id="aq-query-chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert data == chart
