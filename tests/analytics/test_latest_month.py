"""The indicator and count queries open on the latest month with approved reports in the
administrator's regions, say so when there is none, and show numbers with thousands separators
(issue 21 §4)."""
from decimal import Decimal

import pytest

from analytics.queries import query_build
from analytics.queries.base import Percent
from analytics.selectors import analytics_scope, latest_approved_period
from analytics.templatetags.analytics_tags import cell
from reporting.periods import month_add

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from .helpers import enterprises, put

pytestmark = pytest.mark.django_db


def test_queries_open_on_the_latest_month_with_approved_reports_in_the_scope(report_type, admins, period):
    e1, e2, e3 = enterprises()  # 宁波, 宁波, 杭州
    ningbo = month_add(period, -3)
    put(report_type, e1, ningbo)
    put(report_type, e2, period, status="pending")  # not approved: not where the queries open
    put(report_type, e3, month_add(period, -1))  # 杭州: outside 宁波's scope
    scope = analytics_scope(admins["sme_ningbo"])
    assert latest_approved_period(scope, report_type) == ningbo
    for key in ("summary", "detail", "products", "leaderboard", "analysis"):
        query = query_build(key, scope=scope, report_type=report_type)
        assert query.valid and query.filters["month"] == ningbo, key
    assert query_build("year_counts", scope=scope, report_type=report_type).filters["year"] == ningbo.year
    # the month chosen by the administrator still wins; the unfiled list stays on the current month
    assert query_build("summary", scope=scope, report_type=report_type,
                       data={"month": f"{period:%Y-%m}"}).filters["month"] == period
    assert query_build("unfiled", scope=scope, report_type=report_type).filters["month"] == period


def test_without_approved_reports_the_page_says_why_instead_of_an_empty_table(client, report_type, admins, period):
    e1, _e2, _e3 = enterprises()
    put(report_type, e1, period, status="pending")
    client.force_login(admins["sme_ningbo"])
    for key in ("summary", "analysis"):
        page = client.get(f"/admin/analytics/{key}/").content.decode()
        assert "本地区尚无审核通过的报表" in page and 'data-testid="query-table"' not in page, key
    response = client.get("/admin/analytics/summary/export/")
    assert response.status_code == 200  # the export still runs: an empty sheet under its header block
    put(report_type, e1, period)  # approved now
    page = client.get("/admin/analytics/summary/").content.decode()
    assert 'data-testid="query-unavailable"' not in page and 'data-testid="query-table"' in page


def test_cells_show_thousands_separators_and_percentages_keep_two_decimals():
    assert cell(1234567) == "1,234,567"
    assert cell(Decimal("1234567.891")) == "1,234,567.89" and cell(Decimal("12000.00")) == "12,000"
    assert cell(1234.5) == "1,234.50"
    assert cell(Percent("1234.5678")) == "1,234.57%" and cell(Percent("-3.1")) == "-3.10%"
    assert cell(None) == "" and cell("=1+1") == "=1+1"
