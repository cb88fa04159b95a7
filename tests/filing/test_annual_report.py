"""The software and IT services annual report (年报, seed 004) filed through an annual provincial task:
the journey (the province issues it → the enterprise fills it on the task wizard → 上报 → the province
receives it), the Excel template and import round trip through the task's import page, the profit-margin
check against the national average kept as data (参考值), the administrator told when that value is
missing, who may keep it, and the demo."""
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from filing import services as svc
from filing.demo import annual_demo_answers, software_annual_report_type
from formdefs.models import ReferenceValue
from reporting.enums import EntryMethod, SubmissionStatus as S
from reporting.models import Submission
from reporting.periods import period_current, today

from .conftest import make_enterprise

pytestmark = pytest.mark.django_db

MARGIN_KEY = "software_profit_margin_national"
#: The steps of the annual report and the grids each holds (the wizard posts `grid__row__column`).
STEP_GRIDS = {"sa_finance_step": ("fin",), "sa_revenue_step": ("rev", "exp"), "sa_staff_step": ("staff",)}
#: The template's sheets, each with the grids it holds in order.
SHEET_GRIDS = {"主要财务指标": ("fin",), "软件业务收入分类": ("rev", "exp"), "从业人员": ("staff",)}


@pytest.fixture
def annual_type(demo_core):
    return software_annual_report_type()


@pytest.fixture
def last_year(annual_type):
    return period_current(annual_type)


@pytest.fixture
def xihu(annual_type):
    """A software enterprise in 杭州西湖: its direct reviewer is the province (sme_zhejiang)."""
    return make_enterprise("com_soft_xh", "杭州西湖年报示范软件有限公司", county="330106")


@pytest.fixture
def annual_task(admins, annual_type, last_year):
    from accounts.models import AdministratorProfile

    province = AdministratorProfile.objects.get(user__username="sme_zhejiang").region
    task = svc.filing_task_create(actor=admins["sme_zhejiang"], title=f"[省级]{last_year.year}年软件和信息技术服务业年报",
                                  report_type=annual_type, period=last_year, issuing_region=province,
                                  due_date=today() + datetime.timedelta(days=30), industry_prefix="I65")
    return svc.filing_task_open(task=task, actor=admins["sme_zhejiang"])


def store_margin(year: int, value: str = "15.8") -> ReferenceValue:
    return ReferenceValue.objects.create(key=MARGIN_KEY, year=year, value=value, label="全国软件业务利润率平均值(%)")


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def management(response):
    return re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode()).groups()


def tokens(response) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(fd_(?:base_)?revision)" value="([^"]*)">',
                           response.content.decode()))


def severe_codes(task, enterprise) -> set:
    return {i["code"] for i in svc.filing_report_issues(task=task, enterprise=enterprise) if i["severity"] == "severe"}


def test_the_annual_type_is_filed_by_task_for_december_of_last_year(annual_type, last_year, annual_task):
    assert (annual_type.frequency, annual_type.by_task_only) == ("annual", True)
    assert last_year == datetime.date(today().year - 1, 12, 1)
    assert annual_task.level == "provincial" and annual_task.period_label == f"{last_year.year}年度"


def test_journey_issue_fill_on_the_task_wizard_submit_and_the_province_receives(annual_task, xihu, admins, last_year):
    store_margin(last_year.year)
    filler = web(xihu.filler)
    listed = filler.get(reverse("filing:tasks")).content.decode()
    assert annual_task.title in listed and f"{last_year.year}年度" in listed
    fill, submit = reverse("filing:fill", args=[annual_task.pk]), reverse("filing:submit", args=[annual_task.pk])
    answers = annual_demo_answers()
    page = filler.get(fill)
    for step, grids in STEP_GRIDS.items():
        name, current = management(page)
        assert current == step
        cells = {f"{grid}__{row}__{col}": value for grid in grids for row, values in answers[grid].items()
                 for col, value in values.items()}
        page = filler.post(fill, {name: step, **cells, **tokens(page), "wizard_action": "next"})
    assert page.status_code == 302 and page.url == submit  # the last step saves and leads to 上报
    checks = filler.get(submit).content.decode()
    assert "严重警告" not in checks
    assert "上报成功" in filler.post(submit, follow=True).content.decode()

    submission = Submission.objects.get(report_type=annual_task.report_type, enterprise=xihu)
    assert (submission.status, submission.period, submission.holder.user.username) == (S.PENDING, last_year, "sme_zhejiang")
    assert submission.answers["rev"]["total"]["ytd"] == 7800.0 and submission.answers["software_share"] == 90.7
    assert submission.answers["staff"]["master"]["end"] == 48
    province = web(admins["sme_zhejiang"])
    assert xihu.name in province.get(reverse("workflow_review:list"), {"report_type": annual_task.report_type_id,
                                                                       "month": f"{last_year:%Y-%m}"}).content.decode()
    province.post(reverse("workflow_review:receive", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == S.APPROVED  # a provincial task's review ends at the province


def test_the_margin_check_reads_the_national_average_stored_for_the_tasks_year(annual_task, xihu, last_year):
    answers = annual_demo_answers()
    answers["fin"]["profit"]["ytd"] = 4000.0  # 4000 / 7800 = 51 %: beyond 15.8 % + 200 %
    svc.filing_report_save(task=annual_task, enterprise=xihu, answers=answers, actor=xihu.filler)
    assert severe_codes(annual_task, xihu) == set()  # no value stored: the check is skipped
    store_margin(last_year.year - 1)
    assert severe_codes(annual_task, xihu) == set()  # another year's value does not count
    store_margin(last_year.year)
    assert severe_codes(annual_task, xihu) == {"profit_margin_near_national"}
    with pytest.raises(svc.FilingRefused) as refused:
        svc.filing_report_submit(task=annual_task, enterprise=xihu, actor=xihu.filler)
    assert [i["code"] for i in refused.value.unexplained] == ["profit_margin_near_national"]
    submitted = svc.filing_report_submit(task=annual_task, enterprise=xihu, actor=xihu.filler,
                                         explanations={"profit_margin_near_national": "本年出售子公司股权取得投资收益。"})
    assert submitted.status == S.PENDING and "本年出售子公司股权取得投资收益。" in submitted.explanation
    ReferenceValue.objects.filter(year=last_year.year).update(value="30")  # band −30 … 90 %: 51 % is within
    svc.filing_report_cancel(task=annual_task, enterprise=xihu, actor=xihu.filler)
    assert severe_codes(annual_task, xihu) == set()


def test_the_task_page_tells_the_administrator_which_reference_value_is_missing(annual_task, admins, last_year):
    province = web(admins["sme_zhejiang"])
    url = reverse("filing_admin:task", args=[annual_task.pk])
    html = province.get(url).content.decode()
    gaps = re.search(r'data-testid="reference-gaps">(.*?)</div>', html, re.S).group(1)
    assert f"ref.{MARGIN_KEY}" in gaps and str(last_year.year) in gaps and "软件业务利润率" in gaps
    assert "参考值" in gaps
    store_margin(last_year.year)
    assert 'data-testid="reference-gaps"' not in province.get(url).content.decode()


def test_only_national_administrators_keep_reference_values(admins, last_year):
    add = reverse("wagtailsnippets_formdefs_referencevalue:add")
    listing = reverse("wagtailsnippets_formdefs_referencevalue:list")
    data = {"key": MARGIN_KEY, "year": last_year.year, "value": "15.8", "label": "全国软件业务利润率平均值(%)",
            "source_note": "工业和信息化部运行监测协调局"}
    province = web(admins["sme_zhejiang"])
    assert '"reference-values"' not in province.get("/admin/").content.decode()  # no 参考值 menu item
    assert province.get(listing).status_code != 200
    province.post(add, data)
    assert not ReferenceValue.objects.exists()
    national = web(admins["sme_admin"])
    assert '"reference-values"' in national.get("/admin/").content.decode()
    assert national.get(listing).status_code == 200
    refused = national.post(add, {**data, "key": "Software-margin"})  # rules read ref.<key>: a CEL name
    assert refused.status_code == 200 and not ReferenceValue.objects.exists()
    national.post(add, data)
    value = ReferenceValue.objects.get()
    assert (value.key, value.year, float(value.value)) == (MARGIN_KEY, last_year.year, 15.8)
    assert MARGIN_KEY in national.get(listing).content.decode()


def fill_template(data: bytes, answers: dict) -> bytes:
    """Type the answers into the task's template: grids found by their header rows (指标名称) in sheet order,
    rows by label and columns by header text."""
    from formdefs.selectors import version_current

    document = version_current(key="software_annual_report").document
    specs = {f["id"]: f for s in document["steps"] for c in s["sections"] for f in c["fields"]}
    workbook = load_workbook(io.BytesIO(data))
    for title, grids in SHEET_GRIDS.items():
        sheet, pending, spec, columns = workbook[title], list(grids), None, {}
        for row in sheet.iter_rows():
            first = row[0].value
            if first == "指标名称":
                spec = specs[pending.pop(0)]
                by_label = {c["label"]: c["id"] for c in spec["columns"]}
                columns = {by_label[str(c.value)]: c.column for c in row if str(c.value) in by_label}
            elif spec is not None and isinstance(first, str):
                rows = {r["label"]: r["id"] for r in spec["rows"]}
                row_id = rows.get(first.rstrip(" *"))
                for column, value in (answers[spec["id"]].get(row_id) or {}).items():
                    sheet.cell(row=row[0].row, column=columns[column], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_excel_template_and_import_round_trip_through_the_task(annual_task, xihu, last_year):
    store_margin(last_year.year)
    filler = web(xihu.filler)
    tasks = filler.get(reverse("filing:tasks")).content.decode()
    assert reverse("filing:import", args=[annual_task.pk]) in tasks
    page = filler.get(reverse("filing:import", args=[annual_task.pk])).content.decode()
    assert reverse("filing:template", args=[annual_task.pk]) in page
    response = filler.get(reverse("filing:template", args=[annual_task.pk]))
    assert response.status_code == 200 and f"software_annual-{last_year:%Y-%m}" in response["Content-Disposition"]
    template = b"".join(response.streaming_content) if response.streaming else response.content
    answers = annual_demo_answers()

    # A text in a number cell: named by sheet, row and column; nothing is saved.
    wrong = {**answers, "fin": {**answers["fin"], "profit": {"ytd": "一千", "ly_ytd": 920}}}
    refused = filler.post(reverse("filing:import", args=[annual_task.pk]),
                          {"filler_name": "陈填报", "file": SimpleUploadedFile("annual.xlsx", fill_template(template, wrong))})
    errors = re.search(r'data-testid="import-errors">(.*?)</div>', refused.content.decode(), re.S).group(1)
    assert "主要财务指标" in errors and "利润总额" in errors and "本年" in errors
    assert not Submission.objects.filter(enterprise=xihu).exists()

    imported = filler.post(reverse("filing:import", args=[annual_task.pk]),
                           {"filler_name": "陈填报", "file": SimpleUploadedFile("annual.xlsx", fill_template(template, answers))})
    assert imported.status_code == 302 and imported.url == reverse("filing:submit", args=[annual_task.pk])
    submission = Submission.objects.get(report_type=annual_task.report_type, enterprise=xihu)
    assert (submission.status, submission.entry_method, submission.filler_name) == (S.EDITING, EntryMethod.IMPORT, "陈填报")
    for grid in ("fin", "rev", "exp", "staff"):
        for row, cells in answers[grid].items():
            assert {c: submission.answers[grid][row][c] for c in cells} == cells, (grid, row)
    assert submission.answers["profit_margin"] == 13.46
    # Once submitted, the task's report is no longer imported over.
    svc.filing_report_submit(task=annual_task, enterprise=xihu, actor=xihu.filler)
    assert 'type="file"' not in filler.get(reverse("filing:import", args=[annual_task.pk])).content.decode()
    late = filler.post(reverse("filing:import", args=[annual_task.pk]),
                       {"filler_name": "陈填报", "file": SimpleUploadedFile("annual.xlsx", fill_template(template, answers))})
    assert 'data-testid="import-errors"' in late.content.decode()
    submission.refresh_from_db()
    assert submission.status == S.PENDING and submission.filler_name == "陈填报"


def test_demo_issues_last_years_annual_task_with_one_report_submitted_and_one_saved(demo_core, admins):
    from filing.demo import seed_demo
    from filing.models import FilingTask
    from filing.selectors import filing_task_progress

    seed_demo()
    assert seed_demo() == []
    task = FilingTask.objects.get(report_type__key="software_annual")
    year = period_current(task.report_type).year
    assert task.title == f"[省级]{year}年软件和信息技术服务业年报" and task.status == "open" and task.level == "provincial"
    assert float(ReferenceValue.objects.get(key=MARGIN_KEY, year=year).value) == 15.8
    reports = {s.enterprise.filler.username: s for s in Submission.objects.filter(report_type=task.report_type)}
    assert reports["com_soft02"].status == S.PENDING and reports["com_soft02"].holder.user.username == "sme_zhejiang"
    assert reports["com_soft02"].issues == [] and reports["com_soft03"].status == S.EDITING
    assert dict(filing_task_progress(task)) == {"编辑": 1, "待审核": 1}
    assert 'data-testid="reference-gaps"' not in web(admins["sme_zhejiang"]).get(
        reverse("filing_admin:task", args=[task.pk])).content.decode()


def test_the_summary_reads_the_yearly_totals_as_cumulative_and_last_years_column(demo_core, admins):
    """The definition's analytics block: 本年 is the ytd role (本月止累计), 上年 the ytd_ly role (去年同期)."""
    from accounts.selectors import admin_scope
    from analytics.selectors import summary_compute
    from filing.demo import seed_demo
    from filing.models import FilingTask

    seed_demo()
    task = FilingTask.objects.get(report_type__key="software_annual")
    summary = summary_compute(scope=admin_scope(admins["sme_zhejiang"]), report_type=task.report_type,
                              period=task.period, indicators=["main_revenue", "profit"])
    total = summary.total
    assert total.enterprises == 2 and total.losses == 0  # com_soft02 (8600) and com_soft03 (half of it)
    assert (float(total.current["main_revenue"]), float(total.last["main_revenue"])) == (12900.0, 11850.0)
    assert float(total.growth("main_revenue")) == pytest.approx(8.86, abs=0.01)
