"""经济指标月报汇总查询: the seed's year-on-year example, groupings, filters, and a property test
against an independent recomputation from the submissions' JSON answers."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analytics.enums import Grouping
from analytics.indicators import growth
from analytics.selectors import analytics_scope, summary_compute
from reporting.periods import month_add
from tests.exports.sheets import export_parts

from .helpers import enterprises, grid, put

pytestmark = pytest.mark.django_db
SEED_ROWS = ("revenue", "cost", "loan_balance", "receivables", "profit", "taxes_payable", "employees")


@pytest.mark.parametrize("current, last, expected", [(11, 113, "-90.27"), (22, 223, "-90.13"), (33, 333, "-90.09"),
                                                     (133, 1333, "-90.02")])
def test_growth_matches_the_seed(current, last, expected):
    assert growth(current, last) == Decimal(expected)


def test_growth_is_blank_without_last_year():
    assert growth(5, 0) is None
    assert growth(5, None) is None


def test_seed_summary_screen(report_type, period, admins):
    """The seed's 综合汇总: one enterprise, 营业收入 11 against 113 last year → −90.27%, and so on."""
    e1, _e2, _e3 = enterprises()
    this = grid(revenue=(11, 11, 0, 113), cost=(22, 22, 0, 223), loan_balance=(33, 33, 0, 333),
                receivables=(133, 133, 0, 1333), profit=(22, 22, 0, 223), taxes_payable=(33, 33, 0, 333),
                employees=(11, 11, 0, 113))
    last = grid(revenue=(113, 113, 0, 0), cost=(223, 223, 0, 0), loan_balance=(333, 333, 0, 0),
                receivables=(1333, 1333, 0, 0), profit=(223, 223, 0, 0), taxes_payable=(333, 333, 0, 0),
                employees=(113, 113, 0, 0))
    put(report_type, e1, period, ind=this)
    put(report_type, e1, month_add(period, -12), ind=last)
    scope = analytics_scope(admins["sme_ningbo"])
    summary = summary_compute(scope=scope, report_type=report_type, period=period, status="approved",
                              indicators=SEED_ROWS)
    total = summary.total
    assert (total.enterprises, total.losses, total.loss_share) == (1, 0, Decimal("0.00"))
    assert {row: (total.current[row], total.last[row], total.growth(row)) for row in SEED_ROWS} == {
        "revenue": (11, 113, Decimal("-90.27")), "cost": (22, 223, Decimal("-90.13")),
        "loan_balance": (33, 333, Decimal("-90.09")), "receivables": (133, 1333, Decimal("-90.02")),
        "profit": (22, 223, Decimal("-90.13")), "taxes_payable": (33, 333, Decimal("-90.09")),
        "employees": (11, 113, Decimal("-90.27")),
    }


def test_summary_page_shows_the_seed_percentages_and_exports_them(client, report_type, period, admins):
    import io

    import openpyxl

    e1, _e2, _e3 = enterprises()
    # no 上年 columns in this month's report: last year's approved report is the comparison
    put(report_type, e1, period, ind=grid(revenue=(11, 11, None, None), profit=(-1, -1, None, None)))
    put(report_type, e1, month_add(period, -12), ind=grid(revenue=(113, 113, 0, 0), profit=(1, 1, 0, 0)))
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/summary/").content.decode()
    assert "-90.27%" in page and "100.00%" in page  # 亏损面: the one enterprise lost money
    response = client.get("/admin/analytics/summary/export/", {"month": f"{period:%Y-%m}", "status": "approved"})
    block, rows = export_parts(b"".join(response.streaming_content))
    assert block[1].startswith("报表月份：") and block[2].startswith("同比增长按可比口径计算")
    assert rows[0] == ("指标", "单位", "本月止累计", "去年同期累计", "同比增长 (%)")
    revenue = next(r for r in rows if r[0] == "营业收入")
    assert (revenue[1], revenue[2], revenue[3], revenue[4]) == ("千元", 11, 113, pytest.approx(-90.27))


def test_filters_scope_and_grouping_by_region(report_type, period, admins):
    from enterprises.models import Enterprise

    e1, e2, e3 = enterprises()
    no_last_year = (None, None)
    put(report_type, e1, period, ind=grid(revenue=(5, 5, *no_last_year), profit=(-2, -2, *no_last_year)))
    put(report_type, e2, period, ind=grid(revenue=(7, 7, *no_last_year), profit=(3, 3, *no_last_year)))
    put(report_type, e3, period, ind=grid(revenue=(1000, 1000, 0, 0), profit=(3, 3, 0, 0)))  # 杭州
    put(report_type, e2, month_add(period, -12), ind=grid(revenue=(14, 14, 0, 0)))
    ningbo = analytics_scope(admins["sme_ningbo"])
    summary = summary_compute(scope=ningbo, report_type=report_type, period=period, grouping=Grouping.REGION,
                              indicators=["revenue"])
    assert summary.total.enterprises == 2 and summary.total.current["revenue"] == 12  # never 杭州's 1000
    assert summary.total.comparable == 1
    by_region = {g.label: (g.enterprises, g.comparable, g.losses, g.current.get("revenue"), g.growth("revenue"))
                 for g in summary.groups}
    assert by_region == {"海曙区": (1, 0, 1, 5, None), "江北区": (1, 1, 0, 7, Decimal("-50.00"))}
    Enterprise.objects.filter(pk=e2.pk).update(is_listed=True)
    assert summary_compute(scope=ningbo, report_type=report_type, period=period, exclude_large=True,
                           indicators=["revenue"]).total.enterprises == 1
    Enterprise.objects.filter(pk=e1.pk).update(is_disabled=True)
    assert summary_compute(scope=ningbo, report_type=report_type, period=period, exclude_disabled=True,
                           indicators=["revenue"]).total.enterprises == 1
    assert summary_compute(scope=ningbo, report_type=report_type, period=period, status="pending",
                           indicators=["revenue"]).total.enterprises == 0
    national = analytics_scope(admins["sme_admin"])
    assert summary_compute(scope=national, report_type=report_type, period=period,
                           indicators=["revenue"]).total.current["revenue"] == 1012


# -- comparable enterprises (issue 22 §6) ------------------------------------------------------

def _incomplete_last_year(report_type, period):
    """Three enterprises, status 全部: 海曙 fills its own 上年1-本月; 江北 (pending) leaves it blank and
    has an approved report a year earlier; 杭州 has neither (last year's report is still pending)."""
    e1, e2, e3 = enterprises()
    last_year = month_add(period, -12)
    put(report_type, e1, period, ind=grid(revenue=(120, 120, 100, 100), profit=(5, 5, 4, 4)))
    put(report_type, e2, period, status="pending", ind=grid(revenue=(60, 60, None, None), profit=(-1, -1, None, None)))
    put(report_type, e2, last_year, ind=grid(revenue=(40, 40, 0, 0), profit=(2, 2, 0, 0)))
    put(report_type, e3, period, ind=grid(revenue=(1000, 1000, None, None), profit=(9, 9, None, None)))
    put(report_type, e3, last_year, status="pending", ind=grid(revenue=(10, 10, 0, 0), profit=(1, 1, 0, 0)))
    return e1, e2, e3


def test_growth_is_over_the_comparable_enterprises(report_type, period, admins):
    _incomplete_last_year(report_type, period)
    scope = analytics_scope(admins["sme_zhejiang"])
    summary = summary_compute(scope=scope, report_type=report_type, period=period, indicators=["revenue", "profit"])
    total = summary.total
    assert (total.enterprises, total.comparable, total.losses) == (3, 2, 1)
    assert total.current == {"revenue": 1180, "profit": 13}  # 本月止累计: every enterprise of the month
    assert total.current_comparable == {"revenue": 180, "profit": 4}  # 海曙 and 江北 only
    assert total.last == {"revenue": 140, "profit": 6}  # 海曙's own 上年1-本月 + 江北's approved report
    assert total.growth("revenue") == Decimal("28.57") and total.growth("profit") == Decimal("-33.33")
    by_city = summary_compute(scope=scope, report_type=report_type, period=period, grouping=Grouping.REGION,
                              indicators=["revenue"])
    assert {g.label: (g.enterprises, g.comparable, g.growth("revenue")) for g in by_city.groups} == {
        "宁波市": (2, 2, Decimal("28.57")), "杭州市": (1, 0, None)}
    approved = summary_compute(scope=scope, report_type=report_type, period=period, status="approved",
                               indicators=["revenue"]).total
    assert (approved.enterprises, approved.comparable, approved.last, approved.growth("revenue")) == (
        2, 1, {"revenue": 100}, Decimal("20.00"))


def _html_rows(page: str) -> list[list[str]]:
    import re

    body = page[page.index('data-testid="query-table"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_journey_summary_with_incomplete_last_year_compares_the_comparable_set(client, report_type, period, admins):
    """An administrator opens 经济指标月报汇总查询 for the month with status 全部, then exports it: the
    growth is over the two comparable enterprises, 可比企业数 is shown beside 企业数, and a header
    states the month, the status and the basis."""
    import io

    import openpyxl

    _incomplete_last_year(report_type, period)
    client.force_login(admins["sme_zhejiang"])
    params = {"month": f"{period:%Y-%m}", "status": "", "indicators": ["revenue"]}
    page = client.get("/admin/analytics/summary/", params).content.decode()
    month = f"{period.year}年{period.month:02d}月"
    assert f"报表月份：{month} · 报送状态：全部 · 汇总类型：综合汇总" in page
    assert "同比增长按可比口径计算：3家企业中有上年同期数的可比企业2家。" in page
    rows = {r[0]: r[1:] for r in _html_rows(page)}
    assert rows["企业数"][:2] == ["个", "3"] and rows["可比企业数"][:2] == ["个", "2"]
    assert rows["营业收入"] == ["千元", "1,180", "140", "28.57%"]

    response = client.get("/admin/analytics/summary/export/", params)
    block, cells = export_parts(b"".join(response.streaming_content))
    assert block[1] == f"报表月份：{month} · 报送状态：全部 · 汇总类型：综合汇总"
    assert block[2].startswith("同比增长按可比口径计算：3家企业中有上年同期数的可比企业2家")
    assert cells[0] == ("指标", "单位", "本月止累计", "去年同期累计", "同比增长 (%)")
    lines = {r[0]: r[1:] for r in cells[1:]}
    assert lines["企业数"][:2] == ("个", 3) and lines["可比企业数"][:2] == ("个", 2)
    assert lines["营业收入"][:3] == ("千元", 1180, 140) and lines["营业收入"][3] == pytest.approx(28.57)

    by_region = client.get("/admin/analytics/summary/export/", {**params, "grouping": "region"})
    block, cells = export_parts(b"".join(by_region.streaming_content))
    assert block[1].endswith("汇总类型：所在地区汇总")
    assert cells[1][:5] == ("所在地区汇总", "企业数", "可比企业数", "其中：亏损", "亏损面 (%)")
    lines = {r[0]: r for r in cells[2:]}
    assert lines["宁波市"][1:3] == (2, 2) and lines["杭州市"][1:3] == (1, 0) and lines["合计"][1:3] == (3, 2)
    assert lines["宁波市"][5:8] == (180, 140, pytest.approx(28.57)) and lines["杭州市"][5:8] == (1000, None, None)


# -- property: the SQL equals a recomputation in Python from the answers ----------------------

STATUSES = ["approved", "pending", "returned", "editing"]
cell = st.integers(min_value=-50, max_value=500)
blank_or = st.one_of(st.none(), cell)
# this month: status, revenue, profit, cost (may be blank), own 上年1-本月 of revenue and of cost (may be blank)
report = st.one_of(st.none(), st.tuples(st.sampled_from(STATUSES), cell, cell, blank_or, blank_or, blank_or))
# a year earlier: status, revenue, profit, cost (may be blank)
last_report = st.one_of(st.none(), st.tuples(st.sampled_from(STATUSES), cell, cell, blank_or))
enterprise_attrs = st.tuples(st.sampled_from(["small", "micro", "large", "medium"]), st.booleans(), st.booleans())


def _python_summary(*, submissions, enterprise_of, key_of, period, status, exclude_large, exclude_disabled, rows):
    """Independent recomputation: loops over the submissions' JSON answers. A last-year figure is the
    report's own ly_ytd, else the ytd of last year's approved report; growth pairs need both years."""
    def selected(s):
        e = enterprise_of[s.enterprise_id]
        return (s.period == period and (not status or s.status == status)
                and not (exclude_large and (e.size == "large" or e.is_listed))
                and not (exclude_disabled and e.is_disabled))

    def value(s, row, column):
        return ((s.answers.get("ind") or {}).get(row) or {}).get(column) if s is not None else None

    last_period = month_add(period, -12)
    approved_last_year = {s.enterprise_id: s for s in submissions if s.period == last_period and s.status == "approved"}
    out = {}
    for s in (s for s in submissions if selected(s)):
        g = out.setdefault(key_of(enterprise_of[s.enterprise_id]),
                           {"n": 0, "comparable": set(), "loss": 0, "cur": {}, "cmp": {}, "last": {}})
        g["n"] += 1
        if value(s, "profit", "ytd") is not None and value(s, "profit", "ytd") < 0:
            g["loss"] += 1
        for row in rows:
            current = value(s, row, "ytd")
            if current is None:
                continue
            g["cur"][row] = g["cur"].get(row, 0) + current
            last = value(s, row, "ly_ytd")
            if last is None:
                last = value(approved_last_year.get(s.enterprise_id), row, "ytd")
            if last is not None:
                g["comparable"].add(s.enterprise_id)
                g["cmp"][row] = g["cmp"].get(row, 0) + current
                g["last"][row] = g["last"].get(row, 0) + last
    for g in out.values():
        g["comparable"] = len(g["comparable"])
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(reports=st.lists(st.tuples(report, last_report), min_size=3, max_size=3),
       attrs=st.lists(enterprise_attrs, min_size=3, max_size=3),
       status=st.sampled_from(["", "approved", "pending"]), grouping=st.sampled_from(list(Grouping.values)),
       exclude_large=st.booleans(), exclude_disabled=st.booleans())
def test_summary_equals_python_recomputation(report_type, period, admins, reports, attrs, status, grouping,
                                             exclude_large, exclude_disabled):
    """Last year is incomplete on purpose: own 上年 columns blank or not, last year's report missing,
    not approved or without a row, this year's row blank."""
    from enterprises.models import Enterprise
    from reporting.models import Submission

    Submission.objects.all().delete()
    trio = enterprises()
    for e, (size, listed, disabled) in zip(trio, attrs):
        Enterprise.objects.filter(pk=e.pk).update(size=size, is_listed=listed, is_disabled=disabled)
    last_period = month_add(period, -12)
    for e, (now, before) in zip(trio, reports):
        if now is not None:
            s, revenue, profit, cost, ly_revenue, ly_cost = now
            put(report_type, e, period, status=s, ind=grid(revenue=(revenue, revenue, ly_revenue, ly_revenue),
                                                           profit=(profit, profit, None, None),
                                                           cost=(cost, cost, ly_cost, ly_cost)))
        if before is not None:
            s, revenue, profit, cost = before
            put(report_type, e, last_period, status=s, ind=grid(revenue=(revenue, revenue, 0, 0),
                                                                profit=(profit, profit, 0, 0), cost=(cost, cost, 0, 0)))
    scope = analytics_scope(admins["sme_admin"])
    rows = ["revenue", "cost"]
    summary = summary_compute(scope=scope, report_type=report_type, period=period, status=status, grouping=grouping,
                              exclude_large=exclude_large, exclude_disabled=exclude_disabled, indicators=rows)
    enterprise_of = {e.pk: e for e in Enterprise.objects.select_related("industry")}
    keys = {
        Grouping.OVERALL: lambda e: "", Grouping.HOLDING: lambda e: str(e.holding_type_id),
        Grouping.INDUSTRY: lambda e: e.industry.section, Grouping.REGION: lambda e: e.region_code[:2],
        Grouping.SIZE: lambda e: e.size, Grouping.SECTOR: lambda e: e.industry.sector,
    }
    expected = _python_summary(submissions=list(Submission.objects.all()), enterprise_of=enterprise_of,
                               key_of=keys[grouping], period=period, status=status, exclude_large=exclude_large,
                               exclude_disabled=exclude_disabled, rows=rows)
    got = {g.key: {"n": g.enterprises, "comparable": g.comparable, "loss": g.losses,
                   "cur": {k: int(v) for k, v in g.current.items()},
                   "cmp": {k: int(v) for k, v in g.current_comparable.items()},
                   "last": {k: int(v) for k, v in g.last.items()}} for g in summary.groups}
    assert got == expected
    assert summary.total.enterprises == sum(g["n"] for g in expected.values())
    assert summary.total.comparable == sum(g["comparable"] for g in expected.values())
    for g in summary.groups:
        for row in rows:
            assert g.growth(row) == growth(expected[g.key]["cmp"].get(row), expected[g.key]["last"].get(row))
