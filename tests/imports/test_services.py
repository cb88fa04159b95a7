"""企业上报导入 (SPEC §10): permissions, per-row errors and successes, chunks, 2,000 enterprises."""
import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AdministratorProfile
from enterprises.models import Enterprise
from imports import selectors, services
from imports.enums import JobStatus, RowOutcome
from imports.models import ImportJob
from reporting.models import Submission
from reporting.periods import month_add
from reporting.enums import EntryMethod, Screening, SubmissionStatus

from .builders import BatchFile, approved_before


def ent(username: str) -> Enterprise:
    return Enterprise.objects.select_related("region", "industry").get(user__username=username)


def run_import(actor, report_type, period, data: bytes, django_capture_on_commit_callbacks) -> ImportJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(actor=actor, report_type=report_type, period=period, file=data,
                                         file_name="batch.xlsx", language="zh-hans")
    job.refresh_from_db()
    while services.import_job_advance(job=job):  # what the job page's polling does without a broker
        job.refresh_from_db()
    job.refresh_from_db()
    return job


def messages_by_row(job) -> dict:
    return {row.row_number: (row.outcome, row.messages) for row in job.rows.all()}


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_rows_without_errors_are_imported_as_administrator_import_and_submitted(admins, report_type, period, reports, capture):
    demo01, demo02 = ent("com_demo01"), ent("com_demo02")
    for enterprise in (demo01, demo02):
        approved_before(reports, enterprise, period)
    batch = BatchFile(report_type)
    batch.add(demo01.credit_code, demo01.name, reports.answers(demo01, period)["ind"])
    batch.add(demo02.credit_code, demo02.name, reports.answers(demo02, period)["ind"])
    batch.add_product(demo01.credit_code, reports.answers(demo01, period)["products"][0])
    job = run_import(admins["sme_ningbo"], report_type, period, batch.data(), capture)
    assert (job.status, job.total, job.processed, job.imported, job.refused, job.percent) == (JobStatus.DONE, 2, 2, 2, 0, 100)
    first = Submission.objects.get(enterprise=demo01, period=period)
    assert (first.status, first.entry_method, first.holder.user.username) == (SubmissionStatus.PENDING, EntryMethod.ADMIN_IMPORT, "sme_haishu")
    assert first.screening == Screening.PASSED and first.get_entry_method_display() == "地方管理员导入"
    assert first.answers["ind"]["revenue"]["month"] == reports.answers(demo01, period)["ind"]["revenue"]["month"]
    assert first.answers["products"][0]["name"] == "示范产品"
    assert first.answers["name"] == demo01.name  # 基本信息 from the profile
    assert first.events.get().action == "workflow.submit"
    assert first.facts.exists()
    rows = messages_by_row(job)
    assert rows[3] == (RowOutcome.IMPORTED, ["已导入并上报，待审核【sme_haishu】 [行号: 3]"])
    assert rows[4][1] == ["已导入并上报，待审核【sme_ningbo】 [行号: 4]"]
    assert job.rows.get(row_number=3).submission == first


def test_per_row_errors_leave_the_good_rows_imported(admins, report_type, period, reports, capture):
    demo01, demo02, demo03 = ent("com_demo01"), ent("com_demo02"), ent("com_demo03")
    reports.approved(demo01, period)  # 审核通过: cannot be imported again
    editing = reports.save(demo02, period)  # 编辑: overwritten and submitted
    batch = BatchFile(report_type)
    grid = reports.answers(demo02, period)["ind"]
    batch.add(demo01.credit_code, demo01.name, grid)  # row 3
    batch.add(demo02.credit_code, demo02.name, grid, overrides={("营业收入", "本年本月"): 1234.5})  # row 4
    batch.add(demo03.credit_code, demo03.name, grid)  # row 5: outside sme_ningbo's region
    batch.add("91330203MA2ZZZZZ9X", "不存在公司", grid)  # row 6
    batch.add(demo02.credit_code[:-1] + "0", "数字错误公司", grid, overrides={("营业成本", "本年本月"): "12a"})  # row 7
    batch.add(None, "无代码公司", grid)  # row 8
    job = run_import(admins["sme_ningbo"], report_type, period, batch.data(), capture)
    assert (job.status, job.imported, job.refused) == (JobStatus.DONE, 1, 5)
    rows = messages_by_row(job)
    assert rows[3] == (RowOutcome.REFUSED, [f"{period:%Y-%m}已填报(审核通过)，不能重复导入 [行号: 3]"])
    assert rows[4][0] == RowOutcome.IMPORTED and "已覆盖原有报表（编辑）" in rows[4][1][0]
    assert rows[5] == (RowOutcome.REFUSED, ["杭州西湖示范食品有限公司不在您的管辖地区，不能导入 [行号: 5]"])
    assert rows[6] == (RowOutcome.REFUSED, ["统一社会信用代码91330203MA2ZZZZZ9X不存在 [行号: 6]"])
    assert rows[7][0] == RowOutcome.REFUSED and "（营业成本·本年本月）：只能填写数字 [行号: 7]" in rows[7][1][0]
    assert rows[8] == (RowOutcome.REFUSED, ["A列（统一社会信用代码）：必须填写 [行号: 8]"])
    editing.refresh_from_db()
    assert (editing.status, editing.entry_method, editing.answers["ind"]["revenue"]["month"]) == ("pending", "admin_import", 1234.5)
    assert not Submission.objects.filter(enterprise=demo03).exists()
    approved = Submission.objects.get(enterprise=demo01, period=period)
    assert approved.status == SubmissionStatus.APPROVED and approved.entry_method == EntryMethod.ONLINE


def test_pending_reports_are_refused_and_blocking_rules_are_row_errors(admins, report_type, period, reports, capture):
    demo01, demo02 = ent("com_demo01"), ent("com_demo02")
    reports.submitted(demo01, period)
    batch = BatchFile(report_type)
    batch.add(demo01.credit_code, demo01.name, reports.answers(demo01, period)["ind"])
    batch.add(demo02.credit_code, demo02.name, reports.answers(demo02, period)["ind"],
              overrides={("营业收入", "本年本月"): -5, ("营业成本", "本年1-本月"): None})
    job = run_import(admins["sme_zhejiang"], report_type, period, batch.data(), capture)
    rows = messages_by_row(job)
    assert rows[3] == (RowOutcome.REFUSED, [f"{period:%Y-%m}已填报(待审核)，不能重复导入 [行号: 3]"])
    assert rows[4][0] == RowOutcome.REFUSED
    assert any("不能为负数" in m for m in rows[4][1]) and any("必须填写" in m for m in rows[4][1])
    assert not Submission.objects.filter(enterprise=demo02).exists()


def test_a_row_is_checked_as_the_whole_report_with_its_basic_information(admins, report_type, period, reports, capture):
    """As in 上报导入: 基本信息 the file does not hold come from the saved report or the last approved one; a row
    without them (上年营业收入… are not in the registration data) is refused, naming them; numbers obey the
    wizard's limits (1234.567 has three decimals)."""
    demo01, demo02 = ent("com_demo01"), ent("com_demo02")
    approved_before(reports, demo02, period)
    batch = BatchFile(report_type)
    batch.add(demo01.credit_code, demo01.name, reports.answers(demo01, period)["ind"])  # row 3: no 基本信息
    batch.add(demo02.credit_code, demo02.name, reports.answers(demo02, period)["ind"],
              overrides={("营业收入", "本年本月"): 1234.567})  # row 4
    job = run_import(admins["sme_ningbo"], report_type, period, batch.data(), capture)
    rows = messages_by_row(job)
    assert rows[3][0] == RowOutcome.REFUSED and "上年营业收入(万元)为必填项。 [行号: 3]" in rows[3][1]
    assert rows[4][0] == RowOutcome.REFUSED
    assert any("（营业收入·本年本月）：营业收入 · 本年本月：最多2位小数。" in m for m in rows[4][1]), rows[4][1]
    assert not Submission.objects.filter(period=period).exists()


def test_a_balance_warning_is_imported_and_screened_as_data_anomaly(admins, report_type, period, reports, capture):
    demo01 = ent("com_demo01")
    reports.approved(demo01, month_add(period, -1))  # the balance checks compare with last month's approved report
    answers = reports.answers(demo01, period, anomaly=True)
    batch = BatchFile(report_type).add(demo01.credit_code, demo01.name, answers["ind"])
    job = run_import(admins["sme_haishu"], report_type, period, batch.data(), capture)
    submission = Submission.objects.get(enterprise=demo01, period=period)
    assert job.imported == 1 and submission.status == "pending"
    assert submission.screening == Screening.ANOMALOUS and submission.issues
    assert "数据异常" in job.rows.get().messages[0]


def test_importing_needs_the_review_permission_and_an_administrator(admins, report_type, period, reports):
    data = BatchFile(report_type).data()
    AdministratorProfile.objects.filter(user=admins["sme_haishu"]).update(can_review_report=False)
    with pytest.raises(PermissionDenied, match="审核权"):
        services.import_job_create(actor=admins["sme_haishu"], report_type=report_type, period=period, file=data)
    with pytest.raises(PermissionDenied):
        services.import_job_create(actor=ent("com_demo01").user, report_type=report_type, period=period, file=data)
    assert not ImportJob.objects.exists()


def test_uploads_are_checked_before_anything_is_opened(admins, report_type, period, capture):
    from formdefs.excel import template_build
    from reporting.selectors import report_version

    actor = admins["sme_ningbo"]
    with pytest.raises(services.ImportRefused, match="xlsx"):
        services.import_job_create(actor=actor, report_type=report_type, period=period, file=b"not a workbook")
    with pytest.raises(services.ImportRefused, match="尚未结束"):
        services.import_job_create(actor=actor, report_type=report_type, period=month_add(period, 1),
                                   file=BatchFile(report_type).data())
    assert not ImportJob.objects.exists()
    # The request checks the zip directory only; the task reads the file and fails on another template.
    job = run_import(actor, report_type, period, template_build(version=report_version(report_type)), capture)
    assert job.status == JobStatus.FAILED and "单份报表的模板" in job.message and not job.rows.exists()


def test_a_job_runs_in_chunks_and_resumes_after_the_rows_it_finished(admins, report_type, period, reports, settings, capture):
    demo01, demo02 = ent("com_demo01"), ent("com_demo02")
    batch = BatchFile(report_type)
    for enterprise in (demo01, demo02):
        approved_before(reports, enterprise, period, months=2)  # 基本信息 for both imported months
        batch.add(enterprise.credit_code, enterprise.name, reports.answers(enterprise, period)["ind"])
    batch.add("91330203MA2ZZZZZ9X", "甲", {}).add("91330203MA2YYYYY8X", "乙", {})
    job = services.import_job_create(actor=admins["sme_ningbo"], report_type=report_type, period=period, file=batch.data())
    assert services.import_job_process(job=job, max_rows=3) is True
    job.refresh_from_db()
    assert (job.status, job.total, job.processed, job.percent) == (JobStatus.RUNNING, 4, 3, 75)
    assert services.import_job_process(job=job, max_rows=3) is False
    job.refresh_from_db()
    assert (job.status, job.processed, job.imported, job.refused) == (JobStatus.DONE, 4, 2, 2)
    assert [r.position for r in job.rows.all()] == [1, 2, 3, 4]
    # The Celery task queues itself chunk after chunk.
    settings.IMPORT_CHUNK_ROWS = 1
    again = run_import(admins["sme_zhejiang"], report_type, month_add(period, -1), batch.data(), capture)
    assert (again.status, again.processed, again.imported) == (JobStatus.DONE, 4, 2)


def test_the_results_export_lists_every_row(admins, report_type, period, reports, capture):
    from openpyxl import load_workbook
    import io

    demo01 = ent("com_demo01")
    approved_before(reports, demo01, period)
    batch = BatchFile(report_type).add(demo01.credit_code, demo01.name, reports.answers(demo01, period)["ind"])
    batch.add("91330203MA2ZZZZZ9X", "+危险公司", {})
    job = run_import(admins["sme_haishu"], report_type, period, batch.data(), capture)
    rows = list(load_workbook(io.BytesIO(selectors.job_rows_export(job))).active.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "行号", "统一社会信用代码", "企业名称", "结果", "信息")
    assert rows[1][1:5] == (3, demo01.credit_code, demo01.name, "已导入")
    assert rows[2][3] == "+危险公司" and rows[2][4] == "未导入"  # a text cell: no apostrophe, never a formula


def test_jobs_are_seen_by_their_administrator_and_its_ancestors_only(admins, report_type, period):
    job = services.import_job_create(actor=admins["sme_haishu"], report_type=report_type, period=period,
                                     file=BatchFile(report_type).data())
    assert selectors.import_job_get(user=admins["sme_ningbo"], pk=job.pk) == job
    assert selectors.import_job_get(user=admins["sme_admin"], pk=job.pk) == job
    with pytest.raises(ImportJob.DoesNotExist):
        selectors.import_job_get(user=admins["sme_ningbo"].__class__.objects.get(username="com_demo01"), pk=job.pk)
    ningbo_job = services.import_job_create(actor=admins["sme_ningbo"], report_type=report_type, period=period,
                                            file=BatchFile(report_type).data())
    with pytest.raises(ImportJob.DoesNotExist):
        selectors.import_job_get(user=admins["sme_haishu"], pk=ningbo_job.pk)


def test_many_enterprises_complete_in_bounded_chunks(admins, report_type, period, reports, settings, capture):
    """40 rows in chunks of 15: two full chunks and a partial one (the 2,000-row timing lives in
    bench/batch_import.py)."""
    from .builders import enterprises_like

    settings.IMPORT_EAGER_CHUNK_ROWS = 15
    template = ent("com_demo01")
    many = enterprises_like(template, 40, approved=approved_before(reports, template, period))
    batch = BatchFile(report_type)
    cells = batch.values(reports.answers(template, period)["ind"])
    for enterprise in many:
        batch.add(enterprise.credit_code, enterprise.name, cells=cells)
    job = run_import(admins["sme_ningbo"], report_type, period, batch.data(), capture)
    assert (job.status, job.total, job.processed, job.imported, job.refused) == (JobStatus.DONE, 40, 40, 40, 0), job.message
    assert Submission.objects.filter(period=period, entry_method=EntryMethod.ADMIN_IMPORT, status="pending",
                                     holder__user__username="sme_haishu").count() == 40
    assert job.rows.count() == 40 and job.rows.filter(outcome=RowOutcome.IMPORTED).count() == 40


def test_without_a_broker_no_request_imports_the_whole_file(admins, report_type, period, reports, settings, capture):
    """The upload runs one small chunk; each progress poll runs the next (embedded default)."""
    from .builders import enterprises_like

    settings.IMPORT_EAGER_CHUNK_ROWS = 2
    template = ent("com_demo01")
    batch = BatchFile(report_type)
    cells = batch.values(reports.answers(template, period)["ind"])
    for enterprise in enterprises_like(template, 5, approved=approved_before(reports, template, period)):
        batch.add(enterprise.credit_code, enterprise.name, cells=cells)
    with capture(execute=True):
        job = services.import_job_create(actor=admins["sme_ningbo"], report_type=report_type, period=period,
                                         file=batch.data(), file_name="batch.xlsx", language="zh-hans")
    job.refresh_from_db()
    assert (job.status, job.processed) == (JobStatus.RUNNING, 2)
    assert services.import_job_advance(job=job) is True
    job.refresh_from_db()
    assert job.processed == 4
    assert services.import_job_advance(job=job) is False
    job.refresh_from_db()
    assert (job.status, job.processed, job.imported) == (JobStatus.DONE, 5, 5)
