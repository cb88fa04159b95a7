"""报送进度 drill-down (issue 21 §4): one selector counts each child region's reported and approved
enterprises; the page draws them as a map where the region's outline ships, bars elsewhere."""
import pytest
from django.db.models import Q

from analytics.selectors import analytics_scope, reporting_progress
from enterprises.models import Enterprise
from reporting.models import Submission
from reporting.selectors import report_type_enterprises_q

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from .helpers import enterprises, put

pytestmark = pytest.mark.django_db


def _database_counts(report_type, period, prefix):
    """What the selector should say for one region prefix, counted another way."""
    filing = Enterprise.objects.filter(report_type_enterprises_q(report_type), status="approved", is_disabled=False,
                                       region_code__startswith=prefix)
    subs = Submission.objects.filter(report_type=report_type, period=period, enterprise__in=filing)
    return (filing.count(), subs.filter(Q(status="pending") | Q(status="approved")).count(),
            subs.filter(status="approved").count())


def test_progress_numbers_match_the_database_at_every_level(report_type, admins, period):
    e1, e2, e3 = enterprises()
    put(report_type, e1, period)  # 宁波 海曙, approved
    put(report_type, e2, period, status="pending")
    put(report_type, e3, period, status="returned")  # 杭州: not reported
    scope = analytics_scope(admins["sme_zhejiang"])
    province = reporting_progress(scope=scope, report_type=report_type, period=period)
    assert [c for c, _n in province.trail] == ["330000"] and province.geo_code == "330000"
    assert len(province.rows) == 11
    for row in province.rows:
        assert (row.registered, row.reported, row.approved) == _database_counts(report_type, period, row.code[:4])
    ningbo = next(r for r in province.rows if r.code == "330200")
    assert ningbo.drillable and ningbo.reported >= 2 and ningbo.approved >= 1
    assert (province.total.registered, province.total.reported, province.total.approved) == _database_counts(
        report_type, period, "33")
    city = reporting_progress(scope=scope, report_type=report_type, period=period, region_code="330200")
    assert [c for c, _n in city.trail] == ["330000", "330200"] and city.geo_code == "330200"
    for row in city.rows:
        assert not row.drillable
        assert (row.registered, row.reported, row.approved) == _database_counts(report_type, period, row.code)
    assert sum(r.reported for r in city.rows) == ningbo.reported


def test_progress_is_scoped_to_the_administrator(report_type, admins, period):
    from django.core.exceptions import PermissionDenied

    scope = analytics_scope(admins["sme_ningbo"])
    own = reporting_progress(scope=scope, report_type=report_type, period=period)
    assert own.region.code == "330200" and [c for c, _n in own.trail] == ["330200"]
    assert reporting_progress(scope=scope, report_type=report_type, period=period,
                              region_code="330000").region.code == "330200"  # above the scope: its own region
    with pytest.raises(PermissionDenied):
        reporting_progress(scope=scope, report_type=report_type, period=period, region_code="330100")


def test_progress_page_map_drill_down_and_bars_where_no_outline(client, report_type, admins, period,
                                                                django_assert_max_num_queries):
    e1, _e2, _e3 = enterprises()
    put(report_type, e1, period)
    client.force_login(admins["sme_admin"])
    client.get("/admin/analytics/progress/")  # the session and menus warm up
    with django_assert_max_num_queries(20):
        page = client.get("/admin/analytics/progress/", {"month": f"{period:%Y-%m}"})
    assert page.status_code == 200 and page.context["chart"]["geo"] == "100000.json"
    html = page.content.decode()
    assert "全国" in html and "报送进度" in html and "region=330000" in html
    shanghai = client.get("/admin/analytics/progress/", {"month": f"{period:%Y-%m}", "region": "310000"})
    assert shanghai.context["chart"]["geo"] == "" and 'data-kind="bars"' in shanghai.content.decode()
    county = client.get("/admin/analytics/progress/", {"month": f"{period:%Y-%m}", "region": "330203"})
    assert [c for c, _n in county.context["progress"].trail] == ["100000", "330000", "330200", "330203"]
    assert [r["code"] for r in county.context["rows"]] == ["330203"]
    assert county.context["rows"][0]["approved"] == 1
    client.force_login(admins["sme_ningbo"])
    assert client.get("/admin/analytics/progress/", {"region": "330100"}).status_code in (302, 403)  # Wagtail: back home
