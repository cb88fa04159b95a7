"""经济指标月报汇总查询: the seed's year-on-year example, groupings, filters, and a property test
against an independent recomputation from the submissions' JSON answers."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analytics.enums import Grouping
from analytics.indicators import growth
from analytics.selectors import analytics_scope, summary_compute
from reporting.periods import month_add

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
    put(report_type, e1, period, ind=grid(revenue=(11, 11, 0, 0), profit=(-1, -1, 0, 0)))
    put(report_type, e1, month_add(period, -12), ind=grid(revenue=(113, 113, 0, 0), profit=(1, 1, 0, 0)))
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/summary/").content.decode()
    assert "-90.27%" in page and "100.00%" in page  # 亏损面: the one enterprise lost money
    response = client.get("/admin/analytics/summary/export/", {"month": f"{period:%Y-%m}", "status": "approved"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指标", "单位", "本月止累计", "去年同期累计", "同比增长 (%)")
    revenue = next(r for r in rows if r[0] == "营业收入")
    assert (revenue[1], revenue[2], revenue[3], revenue[4]) == ("千元", 11, 113, pytest.approx(-90.27))


def test_filters_scope_and_grouping_by_region(report_type, period, admins):
    from enterprises.models import Enterprise

    e1, e2, e3 = enterprises()
    put(report_type, e1, period, ind=grid(revenue=(5, 5, 0, 0), profit=(-2, -2, 0, 0)))
    put(report_type, e2, period, ind=grid(revenue=(7, 7, 0, 0), profit=(3, 3, 0, 0)))
    put(report_type, e3, period, ind=grid(revenue=(1000, 1000, 0, 0), profit=(3, 3, 0, 0)))  # 杭州
    put(report_type, e2, month_add(period, -12), ind=grid(revenue=(14, 14, 0, 0)))
    ningbo = analytics_scope(admins["sme_ningbo"])
    summary = summary_compute(scope=ningbo, report_type=report_type, period=period, grouping=Grouping.REGION,
                              indicators=["revenue"])
    assert summary.total.enterprises == 2 and summary.total.current["revenue"] == 12  # never 杭州's 1000
    by_region = {g.label: (g.enterprises, g.losses, g.current.get("revenue"), g.growth("revenue")) for g in summary.groups}
    assert by_region == {"海曙区": (1, 1, 5, None), "江北区": (1, 0, 7, Decimal("-50.00"))}
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


# -- property: the SQL equals a recomputation in Python from the answers ----------------------

STATUSES = ["approved", "pending", "returned", "editing"]
cell = st.integers(min_value=-50, max_value=500)
report = st.one_of(st.none(), st.tuples(st.sampled_from(STATUSES), cell, cell, cell))
enterprise_attrs = st.tuples(st.sampled_from(["small", "micro", "large", "medium"]), st.booleans(), st.booleans())


def _python_summary(*, submissions, enterprise_of, key_of, period, status, exclude_large, exclude_disabled, rows):
    """Independent recomputation: loops over the submissions' JSON answers."""
    def selected(s):
        e = enterprise_of[s.enterprise_id]
        return (s.period == period and (not status or s.status == status)
                and not (exclude_large and (e.size == "large" or e.is_listed))
                and not (exclude_disabled and e.is_disabled))

    current = [s for s in submissions if selected(s)]
    chosen = {s.enterprise_id for s in current}
    out = {}
    for s in current:
        g = out.setdefault(key_of(enterprise_of[s.enterprise_id]), {"n": 0, "loss": 0, "cur": {}, "last": {}})
        g["n"] += 1
        ind = s.answers.get("ind", {})
        if ind.get("profit", {}).get("ytd") is not None and ind["profit"]["ytd"] < 0:
            g["loss"] += 1
        for row in rows:
            if row in ind:
                g["cur"][row] = g["cur"].get(row, 0) + ind[row]["ytd"]
    last_period = month_add(period, -12)
    for s in submissions:
        if s.period == last_period and s.enterprise_id in chosen and (not status or s.status == status):
            g = out[key_of(enterprise_of[s.enterprise_id])]
            for row, cells in s.answers.get("ind", {}).items():
                if row in rows:
                    g["last"][row] = g["last"].get(row, 0) + cells["ytd"]
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(reports=st.lists(st.tuples(report, report), min_size=3, max_size=3),
       attrs=st.lists(enterprise_attrs, min_size=3, max_size=3),
       status=st.sampled_from(["", "approved", "pending"]), grouping=st.sampled_from(list(Grouping.values)),
       exclude_large=st.booleans(), exclude_disabled=st.booleans())
def test_summary_equals_python_recomputation(report_type, period, admins, reports, attrs, status, grouping,
                                             exclude_large, exclude_disabled):
    from enterprises.models import Enterprise
    from reporting.models import Submission

    Submission.objects.all().delete()
    trio = enterprises()
    for e, (size, listed, disabled) in zip(trio, attrs):
        Enterprise.objects.filter(pk=e.pk).update(size=size, is_listed=listed, is_disabled=disabled)
    last_period = month_add(period, -12)
    for e, (now, before) in zip(trio, reports):
        for when, spec in ((period, now), (last_period, before)):
            if spec is not None:
                s, revenue, profit, cost = spec
                put(report_type, e, when, status=s, ind=grid(revenue=(revenue, revenue, 0, 0),
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
    got = {g.key: {"n": g.enterprises, "loss": g.losses, "cur": {k: int(v) for k, v in g.current.items()},
                   "last": {k: int(v) for k, v in g.last.items()}} for g in summary.groups}
    assert got == expected
    assert summary.total.enterprises == sum(g["n"] for g in expected.values())
    for g in summary.groups:
        for row in rows:
            last = expected[g.key]["last"].get(row)
            assert g.growth(row) == growth(expected[g.key]["cur"].get(row), last)
