"""Each standard query's filters and scoping (an administrator never sees another region's rows,
including in exports), through the query classes the pages and the exports share."""
import datetime
import io

import openpyxl

from tests.exports.sheets import export_body
import pytest

from analytics.queries import query_build
from analytics.selectors import analytics_scope
from reporting.periods import month_add

from .helpers import enterprises, grid, put

pytestmark = pytest.mark.django_db


def run(key, user, report_type, export=False, **data):
    query = query_build(key, scope=analytics_scope(user), report_type=report_type, data=data, export=export)
    assert query.valid, query.form.errors
    return query, [cells for _obj, cells in query.cells(query.objects())]


def export_rows(client, key, **params):
    response = client.get(f"/admin/analytics/{key}/export/", params)
    assert response.status_code == 200
    return export_body(b"".join(response.streaming_content))  # below the header block


@pytest.fixture
def trio(report_type, period):
    e1, e2, e3 = enterprises()
    put(report_type, e1, period, status="approved", ind=grid(revenue=(10, 30, 9, 27), cost=(8, 24, 7, 21)),
        products=[{"name": "示范产品", "code": "P1", "unit": "件", "output_month": 5, "output_ytd": 15,
                   "output_ly_month": 4, "output_ly_ytd": 12, "sales_month": 5, "sales_ytd": 14, "sales_ly_month": 4,
                   "sales_ly_ytd": 11, "stock": 3}])
    put(report_type, e2, period, status="returned")
    put(report_type, e3, period, status="pending", ind=grid(revenue=(99, 99, 0, 0)),
        products=[{"name": "杭州产品", "unit": "吨", "output_month": 1, "output_ytd": 1, "output_ly_month": 1,
                   "output_ly_ytd": 1, "sales_month": 1, "sales_ytd": 1, "sales_ly_month": 1, "sales_ly_ytd": 1,
                   "stock": 1}])
    return e1, e2, e3


def test_basic_columns_filters_and_scope(report_type, admins, trio):
    e1, e2, e3 = trio
    query, rows = run("basic", admins["sme_ningbo"], report_type)
    assert query.headers() == ["企业名称", "用户ID", "所在地区", "控股类型", "企业规模", "联系人"]
    assert {r[1] for r in rows} == {"com_demo01", "com_demo02"}  # not 杭州's com_demo03
    assert rows[0][2].startswith("浙江省 宁波市")
    _q, rows = run("basic", admins["sme_ningbo"], report_type, columns=["credit_code"], region="330203")
    assert rows == [[e1.name, "com_demo01", e1.credit_code]]
    e2.is_disabled = True
    e2.save(update_fields=["is_disabled"])
    assert [r[1] for r in run("basic", admins["sme_ningbo"], report_type, state="disabled")[1]] == ["com_demo02"]
    assert run("basic", admins["sme_haishu"], report_type, query="com_demo02")[1] == []


def test_unfiled_lists_non_reporters_and_exports_every_indicator(client, report_type, period, admins, trio):
    _query, rows = run("unfiled", admins["sme_zhejiang"], report_type)
    assert [(r[0], r[2]) for r in rows] == [("com_demo02", "退回")]  # com_demo03 is pending: reported
    assert run("unfiled", admins["sme_zhejiang"], report_type, status="not_filled")[1] == []
    _query, rows = run("unfiled", admins["sme_zhejiang"], report_type, month=f"{month_add(period, -1):%Y-%m}")
    assert {(r[0], r[2]) for r in rows} == {("com_demo01", "未填报"), ("com_demo02", "未填报"), ("com_demo03", "未填报")}
    client.force_login(admins["sme_ningbo"])
    rows = export_rows(client, "unfiled", month=f"{period:%Y-%m}")
    assert rows[0][9] == "工业总产值 (千元)" and rows[1][9:13] == ("本年本月", "本年1-本月", "上年本月", "上年1-本月")
    assert [r[0] for r in rows[2:]] == ["com_demo02"]
    revenue = rows[0].index("营业收入 (千元)")
    assert rows[2][revenue:revenue + 4] == (10, 10, 8, 8)


def test_unfiled_row_sends_a_reminder(client, report_type, period, admins, trio, sms_outbox):
    from accounts.models import AdministratorProfile

    AdministratorProfile.objects.filter(user=admins["sme_ningbo"]).update(can_sms_remind=True)
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/unfiled/").content.decode()
    assert "发送催报短信" in page
    e2 = trio[1]
    response = client.post("/admin/analytics/remind/", {"enterprise": e2.pk, "month": f"{period:%Y-%m}",
                                                        "next": "/admin/analytics/unfiled/"})
    assert response.status_code == 302
    assert any(e2.name in m.text for m in sms_outbox.all())
    # another region's enterprise: not found, nothing sent
    count = len(sms_outbox.all())
    assert client.post("/admin/analytics/remind/", {"enterprise": trio[2].pk, "month": f"{period:%Y-%m}"}).status_code == 404
    assert len(sms_outbox.all()) == count


def test_changes_before_and_after(client, report_type, period, admins, trio):
    from django.utils import timezone

    from reporting.enums import ChangeStatus
    from reporting.models import InformationChange, Submission

    for e in trio:
        s = Submission.objects.get(enterprise=e, period=period)
        InformationChange.objects.create(submission=s, enterprise=e, before={"name": e.name, "credit_code": e.credit_code,
                                         "industry": e.industry.full_code}, after={"name": e.name + "新", "credit_code": e.credit_code,
                                         "industry": e.industry.full_code}, status=ChangeStatus.APPROVED, check_after=timezone.now())
    _query, rows = run("changes", admins["sme_ningbo"], report_type)
    assert sorted(r[4] for r in rows) == sorted([trio[0].name + "新", trio[1].name + "新"])
    assert rows[0][0] == "审核通过" and rows[0][1] == f"{period:%Y-%m}"
    assert run("changes", admins["sme_ningbo"], report_type, status="pending")[1] == []
    client.force_login(admins["sme_ningbo"])
    exported = export_rows(client, "changes", month=f"{period:%Y-%m}")
    assert exported[1][3:5] == ("变更前", "变更后") and len(exported) == 4
    assert not any(trio[2].name in str(c) for r in exported for c in r)


def test_detail_indicators_four_values_and_filters(client, report_type, period, admins, trio):
    query, rows = run("detail", admins["sme_ningbo"], report_type)
    assert query.headers()[-8:] == ["本年本月", "本年1-本月", "上年本月", "上年1-本月"] * 2  # 营业收入, 营业成本
    by_id = {r[0]: r for r in rows}
    assert set(by_id) == {"com_demo01", "com_demo02"}
    assert by_id["com_demo01"][-8:] == [10, 30, 9, 27, 8, 24, 7, 21]
    _q, rows = run("detail", admins["sme_ningbo"], report_type, status="approved", indicators=["revenue"])
    assert [r[-4:] for r in rows] == [[10, 30, 9, 27]]
    assert run("detail", admins["sme_ningbo"], report_type, industry="I")[1][0][0] == "com_demo02"
    assert run("detail", admins["sme_ningbo"], report_type, entry_method="import")[1] == []
    client.force_login(admins["sme_ningbo"])
    exported = export_rows(client, "detail", month=f"{period:%Y-%m}")
    assert len(exported[1]) == 10 + 4 * 18  # every indicator in the export (codes with their names: 2 more)
    assert {r[0] for r in exported[2:]} == {"com_demo01", "com_demo02"}


def test_products_rows_and_scope(client, report_type, period, admins, trio):
    _query, rows = run("products", admins["sme_ningbo"], report_type)
    assert rows == [["com_demo01", trio[0].name, "示范产品", "P1", "件", 5, 15, 4, 12, 5, 14, 4, 11, 3]]
    _query, rows = run("products", admins["sme_admin"], report_type, status="pending")
    assert [r[2] for r in rows] == ["杭州产品"]


def test_leaderboard_by_region_and_by_administrator(report_type, period, admins, trio):
    from reporting.models import Submission

    _query, rows = run("leaderboard", admins["sme_zhejiang"], report_type)
    assert [(r[0], r[1], r[2], r[3], r[4], r[6]) for r in rows] == [(1, "宁波市", 2, 0, 1, 1), (2, "杭州市", 1, 1, 0, 0)]
    # a report submitted after the deadline is not counted as approved
    late = datetime.date(period.year, period.month, 1)
    Submission.objects.filter(enterprise=trio[0], period=period).update(
        submitted_at=datetime.datetime(late.year, late.month, 2, tzinfo=datetime.timezone.utc) + datetime.timedelta(days=60))
    _query, rows = run("leaderboard", admins["sme_zhejiang"], report_type)
    assert {r[1]: r[6] for r in rows}["宁波市"] == 0
    _query, rows = run("leaderboard", admins["sme_ningbo"], report_type, by="administrator")
    assert all(r[1] in {"sme_ningbo", "sme_haishu"} for r in rows) and sum(r[2] for r in rows) == 2


def test_year_detail_statuses_and_consecutive_approved_range(report_type, period, admins, trio):
    previous = month_add(period, -1)
    put(report_type, trio[0], previous, status="approved")
    query, rows = run("year_detail", admins["sme_ningbo"], report_type, year=str(period.year))
    assert len(query.headers()) == 7 + 12
    by_id = {r[0]: r for r in rows}
    assert set(by_id) == {"com_demo01", "com_demo02"}
    assert by_id["com_demo01"][6 + period.month] == "审核通过" and by_id["com_demo02"][6 + period.month] == "退回"
    if period.month > 1:
        assert by_id["com_demo01"][6 + previous.month] == "审核通过"
    _q, rows = run("year_detail", admins["sme_ningbo"], report_type, mode="range", first=f"{previous:%Y-%m}",
                   last=f"{period:%Y-%m}")
    assert [r[0] for r in rows] == ["com_demo01"]
    query = query_build("year_detail", scope=analytics_scope(admins["sme_ningbo"]), report_type=report_type,
                        data={"mode": "range", "first": f"{period:%Y-%m}", "last": f"{previous:%Y-%m}"})
    assert not query.valid and "截止月份不能早于起始月份。" in str(query.form.errors)


def test_year_counts_total_row_and_approved_only(report_type, period, admins, trio):
    _query, rows = run("year_counts", admins["sme_zhejiang"], report_type, year=str(period.year))
    total, *regions = rows
    assert total[0] == "合计" and total[period.month] == 2 and total[-1] == 2  # approved + pending
    assert {r[0]: r[period.month] for r in regions} == {"杭州市": 1, "宁波市": 1} | {r[0]: 0 for r in regions if r[0] not in ("杭州市", "宁波市")}
    _query, rows = run("year_counts", admins["sme_zhejiang"], report_type, year=str(period.year), approved_only="on")
    assert rows[0][period.month] == 1
    _query, rows = run("year_counts", admins["sme_ningbo"], report_type, year=str(period.year))
    assert rows[0][period.month] == 1  # 杭州 never counted for 宁波


def test_analysis_composite_and_size(report_type, period, admins, trio):
    from enterprises.models import Enterprise

    _query, rows = run("analysis", admins["sme_zhejiang"], report_type)
    assert rows[1][:2] == ["报送企业数量(户)", 2]
    labels = [r[0] for r in rows]
    assert "1. 按经济类型分析" in labels and "宁波市" in labels and "杭州市" in labels
    Enterprise.objects.filter(pk=trio[0].pk).update(size="small")
    _query, rows = run("analysis", admins["sme_ningbo"], report_type, analysis="size")
    *regions, total = rows
    assert total[1] == "合计" and total[2] == 1  # approved only; com_demo02 is returned
    haishu = next(r for r in regions if r[1] == "海曙区")
    assert haishu[2] == 1 and haishu[3] == 1 and haishu[4] == 100  # small: 100 % small and micro
    assert haishu[5] == 100  # C3435 is industrial


def test_other_administrators_and_enterprise_users_are_refused(client, filler, admins, trio, report_type):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        analytics_scope(filler)
    client.force_login(filler)
    assert client.get("/admin/analytics/basic/export/").status_code in (302, 403)


def test_bad_month_is_refused_with_a_message(client, admins, trio):
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/summary/", {"month": "2026-13"}).content.decode()
    assert "请按 YYYY-MM 格式填写月份。" in page
    response = client.get("/admin/analytics/summary/export/", {"month": "nope"})
    assert response.status_code == 302


def test_export_params_keep_the_all_choice(report_type, admins, trio):
    """全部 (an empty status) must survive into the export, not fall back to the default 审核通过."""
    query = query_build("summary", scope=analytics_scope(admins["sme_zhejiang"]), report_type=report_type,
                        data={"status": "", "grouping": "region"})
    params = query.params()
    assert params["status"] == ""
    again = query_build("summary", scope=analytics_scope(admins["sme_zhejiang"]), report_type=report_type, data=params)
    assert again.summary().total.enterprises == 3
