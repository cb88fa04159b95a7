"""The Shanghai monthly report filed: the demo (a Shanghai manufacturer's months in the 2020 form, v1,
and the 2021 form, v2), the summary query on it with no code of its own, the detail export across the
two versions, and Excel round trips of both versions (template → workbook_read, 上报导入, 企业上报导入)."""
import datetime

import pytest

from tests.exports.sheets import export_parts

from reporting.demo_shanghai import DEMO_LOGIN, DEMO_PERIODS, shanghai_answers, shanghai_versions

from .excel.conftest import field_spec, fill_grid, saved, workbook_of

pytestmark = pytest.mark.django_db
MARK = "本版本无此指标"


@pytest.fixture
def shanghai(demo_core):
    """The Shanghai demo (report type, com_sh01, six approved months) made by its seed_demo."""
    from reporting import demo_shanghai
    from reporting.models import ReportType

    lines = demo_shanghai.seed_demo()
    assert lines[-1] == f"reports for {DEMO_LOGIN}: 6 periods of shanghai_monthly"
    return ReportType.objects.get(key="shanghai_monthly")


@pytest.fixture
def company(shanghai):
    from enterprises.models import Enterprise

    return Enterprise.objects.select_related("industry", "region", "filler").get(filler__username=DEMO_LOGIN)


def test_the_demo_files_six_approved_months_in_the_version_of_their_year(shanghai, company, demo_core):
    from accounts.models import User
    from reporting import demo_shanghai
    from reporting.selectors import report_type_applies

    assert shanghai.region_prefixes == ["31"]
    assert report_type_applies(shanghai, company)
    assert not report_type_applies(shanghai, User.objects.get(username="com_demo01").filled_enterprises.get())
    versions = shanghai_versions()
    assert (versions[1].status, versions[2].status) == ("retired", "published")
    filed = {s.period: (s.version.number, s.status) for s in company.submissions.select_related("version")}
    assert filed == {period: (number, "approved") for number, periods in DEMO_PERIODS.items() for period in periods}
    assert demo_shanghai.seed_demo() == []  # idempotent


def test_the_summary_query_works_on_it(shanghai, company, demo_core):
    from analytics.queries import query_build
    from analytics.selectors import analytics_scope, summary_compute

    scope = analytics_scope(demo_core["sme_admin"].user)
    march = datetime.date(2021, 3, 1)
    answers = shanghai_answers(version=shanghai_versions()[2], period=march)["ind"]
    total = summary_compute(scope=scope, report_type=shanghai, period=march, status="approved",
                            indicators=["revenue", "cost", "payables", "employees"]).total
    assert total.enterprises == 1
    assert {k: float(v) for k, v in total.current.items()} == {
        "revenue": answers["revenue"]["ytd"], "cost": answers["cost"]["ytd"],  # 累计值
        "payables": answers["payables"]["end"], "employees": answers["employees"]["end"]}  # 期末数, never summed
    assert {k: float(v) for k, v in total.last.items()}["payables"] == answers["payables"]["end_ly"]
    query = query_build("summary", scope=scope, data={"type": "shanghai_monthly", "month": "2021-03"})
    assert query.valid and query.report_type == shanghai


def test_the_detail_export_from_2020_to_2021_shows_the_version_difference(client, shanghai, company, demo_core):
    """The default indicators of the 2021 form (应付账款 among them, which the 2020 form lacks): December 2020
    reads 本版本无此指标 in its 应付账款 cells, January 2021 its figures; both months have 营业收入."""
    client.force_login(demo_core["sme_admin"].user)
    response = client.get("/admin/analytics/detail/export/", {"type": "shanghai_monthly", "month": "2020-12", "last": "2021-01"})
    block, rows = export_parts(b"".join(response.streaming_content))  # the header block, then the table
    assert block[1].startswith(f"「{MARK}」")
    groups, headers, *data = rows
    starts = {g: i for i, g in enumerate(groups) if g}
    by_month = {r[headers.index("报表月份")]: r for r in data}
    assert set(by_month) == {"2020-12", "2021-01"}
    dec, jan = by_month["2020-12"], by_month["2021-01"]
    versions = shanghai_versions()
    dec_answers = shanghai_answers(version=versions[1], period=datetime.date(2020, 12, 1))["ind"]
    jan_answers = shanghai_answers(version=versions[2], period=datetime.date(2021, 1, 1))["ind"]
    payables_end = headers.index("期末数", starts["应付账款 (万元)"])
    assert dec[payables_end] == MARK  # the 2020 form has no 应付账款
    assert jan[payables_end] == jan_answers["payables"]["end"]
    revenue_ytd = headers.index("累计值", starts["营业收入 (万元)"])
    assert (dec[revenue_ytd], jan[revenue_ytd]) == (dec_answers["revenue"]["ytd"], jan_answers["revenue"]["ytd"])


@pytest.mark.parametrize("number", [1, 2], ids=["2020 (v1)", "2021 (v2)"])
def test_the_excel_template_of_each_version_reads_back_the_same_answers(shanghai, company, number):
    from formdefs.excel import template_build, workbook_read
    from reporting.selectors import report_rule_context

    version = shanghai_versions()[number]
    period = DEMO_PERIODS[number][-1]
    expected = shanghai_answers(version=version, period=period)
    workbook = workbook_of(template_build(version=version))
    fill_grid(workbook.worksheets[0], field_spec(version.document, "ind"), expected["ind"])
    context = report_rule_context(report_type=shanghai, enterprise=company, period=period)
    result = workbook_read(file=saved(workbook), version=version, context=context)
    assert [str(e) for e in result.errors] == []
    assert result.answers == expected and result.result.issues == []


def test_shanghai_upload_import_and_batch_import_of_the_current_version(shanghai, company, demo_core):
    """上报导入 by the enterprise and 企业上报导入 by the national administrator, both in the 2021 form."""
    from formdefs.excel import batch_template_build
    from imports.services import import_job_create, import_job_process
    from reporting.excel_io import report_import, report_template
    from reporting.periods import month_add, period_current

    from ..imports.builders import _columns

    version = shanghai_versions()[2]
    period = period_current(shanghai)
    expected = shanghai_answers(version=version, period=period)
    content, _name = report_template(shanghai, enterprise=company, period=period, user=company.filler)
    workbook = workbook_of(content)
    fill_grid(workbook.worksheets[0], field_spec(version.document, "ind"), expected["ind"])
    submission = report_import(report_type=shanghai, enterprise=company, period=period, file=saved(workbook),
                               filler_name="陈上海", actor=company.filler)
    assert (submission.version, submission.answers["ind"]) == (version, expected["ind"])

    earlier = month_add(period, -1)
    batch = workbook_of(batch_template_build(version=version))
    ws = batch.worksheets[0]
    columns = _columns(ws)
    cells = [None] * (ws.max_column - 2)
    grid = field_spec(version.document, "ind")
    labels = {c["id"]: c["label"] for c in grid["columns"]}
    answers = shanghai_answers(version=version, period=earlier)["ind"]
    for row in grid["rows"]:
        for column, value in answers[row["id"]].items():
            cells[columns[(row["label"], labels[column])] - 3] = value
    ws.append([company.credit_code, company.name, *cells])
    job = import_job_create(actor=demo_core["sme_admin"].user, report_type=shanghai, period=earlier, file=saved(batch))
    while import_job_process(job=job):
        pass
    job.refresh_from_db()
    imported = company.submissions.get(report_type=shanghai, period=earlier)
    assert (imported.version, imported.answers["ind"], imported.entry_method) == (version, answers, "admin_import"), job.messages


def test_the_definitions_admin_shows_both_versions_and_each_rows_column_groups(client, shanghai, demo_core):
    from django.urls import reverse

    client.force_login(demo_core["sme_admin"].user)
    listing = client.get(reverse("formdefs_admin:list")).content.decode()
    assert 'data-key="shanghai_monthly_report" data-version="2" data-status="published"' in listing
    assert 'data-key="shanghai_monthly_report" data-version="1" data-status="retired"' in listing
    versions = shanghai_versions()
    page = client.get(reverse("formdefs_admin:version", args=[versions[1].pk])).content.decode()
    assert 'data-testid="check-ok"' in page and 'data-testid="enable"' not in page  # retired: nothing to enable
    assert "营业成本 <code>cost</code></td><td>万元</td><td>累计值、累计值去年同期</td>" in page
    assert "应收账款 <code>receivables</code></td><td>万元</td><td>期末数、期末数去年同期</td>" in page
    assert client.get(reverse("formdefs:preview", args=[versions[2].pk])).status_code == 200
