"""Names beside codes in exports (issue 21 §4): 地区名称 beside 地区代码, 行业名称 beside 行业代码, looked up
in one query per kind (`exports.reference`), in the standard queries' exports and the back-office lists'."""
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import User
from enterprises.models import Enterprise
from exports.reference import code_names, with_code_names
from tests.analytics.conftest import admins, monthly_setup, period, report_type  # noqa: F401
from tests.analytics.helpers import enterprises, grid, put
from tests.exports.sheets import export_parts

pytestmark = pytest.mark.django_db


def test_code_names_one_query_per_kind(demo_core, django_assert_num_queries):
    with django_assert_num_queries(2):
        names = code_names(regions=["330203", "110101", "330200", "999999", ""], industries=["C3435", "C", "I6513", "Z9999"])
    assert names.region("330203") == "浙江省宁波市海曙区"
    assert names.region("110101") == "北京市东城区"  # no 市辖区
    assert names.region("330200") == "浙江省宁波市"
    assert names.region("999999") == "" and names.region("") == "" and names.region(None) == ""
    assert names.industry("C3435") == "电梯、自动扶梯及升降机制造" and names.industry("C") == "制造业"
    assert names.industry("I6513") == "应用软件开发" and names.industry("Z9999") == ""


def test_names_are_looked_up_a_chunk_at_a_time(demo_core, django_assert_num_queries):
    rows = list(Enterprise.objects.select_related("industry"))
    assert len(rows) >= 3
    with django_assert_num_queries(2 * 2):  # two chunks, two queries each
        named = list(with_code_names(rows, region=lambda e: e.region_code, industry=lambda e: e.industry.full_code,
                                     chunk=len(rows) - 1))
    assert all(e.region_name.startswith("浙江省") and e.industry_name for e in named)


def test_detail_query_export_has_region_and_industry_names(client, report_type, period, admins):
    e1, e2, _e3 = enterprises()
    put(report_type, e1, period, status="approved", ind=grid(revenue=(10, 30, 9, 27)))
    put(report_type, e2, period, status="approved", ind=grid(revenue=(1, 3, 1, 2)))
    client.force_login(admins["sme_ningbo"])
    response = client.get("/admin/analytics/detail/export/", {"month": f"{period:%Y-%m}"})
    _lines, rows = export_parts(b"".join(response.streaming_content))
    headers = list(rows[1])
    assert headers[2:6] == ["地区代码", "地区名称", "行业代码", "行业名称"]
    by_user = {r[0]: r for r in rows[2:]}
    assert by_user["com_demo01"][2:6] == (e1.region_code, "浙江省宁波市海曙区", e1.industry.full_code, e1.industry.name)
    assert by_user["com_demo02"][3].startswith("浙江省宁波市") and by_user["com_demo02"][5] == e2.industry.name


def test_enterprise_list_export_has_names_beside_codes(client, demo):
    client.force_login(User.objects.get(username="sme_ningbo"))
    response = client.get(reverse("enterprises_admin:enterprises"), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                                  else response.content)).active.iter_rows(values_only=True))
    headers = list(rows[0])
    start = headers.index("地区代码")
    assert headers[start:start + 4] == ["地区代码", "地区名称", "行业代码", "行业名称"]
    haishu = Enterprise.objects.select_related("industry").get(user__username="com_demo01")
    row = next(r for r in rows[1:] if r[0] == haishu.name)
    assert row[start:start + 4] == (haishu.region_code, "浙江省宁波市海曙区", haishu.industry.full_code, haishu.industry.name)
    csv = b"".join(client.get(reverse("enterprises_admin:registrations"), {"export": "csv"}).streaming_content).decode()
    assert csv.splitlines()[0].count("地区代码,地区名称,行业代码,行业名称") == 1
