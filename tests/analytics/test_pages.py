"""Every query page renders for an administrator with a bounded number of queries, its export opens in
openpyxl and holds no row of another region; the 数据查询 menu and the home charts are for administrators."""
import io

import openpyxl
import pytest

from analytics.queries import QUERIES

from .helpers import enterprises, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def month_data(report_type, period):
    e1, e2, e3 = enterprises()
    put(report_type, e1, period, status="approved")
    put(report_type, e2, period, status="editing")
    put(report_type, e3, period, status="pending")  # 杭州: outside 宁波
    return period


@pytest.mark.parametrize("key", list(QUERIES))
def test_page_and_export_for_a_city_administrator(client, admins, month_data, key, django_assert_max_num_queries):
    client.force_login(admins["sme_ningbo"])
    with django_assert_max_num_queries(40):
        response = client.get(f"/admin/analytics/{key}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "杭州西湖" not in page and "杭州市" not in page
    assert str(QUERIES[key].title) not in ("", None)
    response = client.get(f"/admin/analytics/{key}/export/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert values
    assert not any("杭州" in str(v) or v == "com_demo03" for v in values)


def test_query_count_does_not_grow_with_rows(client, admins, report_type, period, django_assert_max_num_queries):
    """A page of 50 enterprises costs the same queries as a page of 2 (no query per row)."""
    from django.core.management import call_command

    call_command("gen_synthetic", enterprises=60, months=1, seed=5, verbosity=0)
    client.force_login(admins["sme_admin"])
    for key in ("basic", "detail", "unfiled", "year_detail"):
        with django_assert_max_num_queries(40):
            assert client.get(f"/admin/analytics/{key}/", {"columns": ["industry", "region", "reviewer"]}).status_code == 200


def test_menu_and_home_charts_are_for_administrators(client, admins, month_data, filler):
    client.force_login(admins["sme_ningbo"])
    home = client.get("/admin/").content.decode()
    assert "/admin/analytics/summary/" in home and "/admin/exports/" in home  # the 数据查询 menu
    assert 'data-testid="analytics-charts"' in home and "aq-bars-data" in home
    client.force_login(filler)
    assert client.get("/admin/analytics/summary/").status_code in (302, 403)
    assert client.get("/admin/analytics/summary/export/").status_code in (302, 403)
