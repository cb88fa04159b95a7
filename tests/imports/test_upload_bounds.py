"""Every accepted batch upload has a bounded cost (issue 18 §2): part limits from the zip directory,
rows from the settings, macros refused, reading in the task, messages capped."""
import io
import re
import zipfile
from pathlib import Path

import pytest

from enterprises.models import Enterprise
from imports import services
from imports.enums import JobStatus, RowOutcome
from imports.models import ImportJob

from .builders import BatchFile


def rezip(data: bytes, *, replace: dict | None = None, add: dict | None = None) -> bytes:
    """The workbook `data` with parts replaced (name → bytes, or a function of the old bytes) or added."""
    replace, out = replace or {}, io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            change = replace.get(info.filename)
            target.writestr(info.filename, change(content) if callable(change) else (change or content))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def shared_strings(size: int) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    item = b"<si><t>" + b"x" * 90 + b"</t></si>"
    return head + item * (size // len(item) + 1) + b"</sst>"


@pytest.fixture
def private(settings, tmp_path):
    settings.CMS_PRIVATE_ROOT = tmp_path / "private"
    return settings.CMS_PRIVATE_ROOT


def create(admins, report_type, period, data):
    return services.import_job_create(actor=admins["sme_ningbo"], report_type=report_type, period=period, file=data)


def stored_nothing(private) -> bool:
    return not ImportJob.objects.exists() and not list(Path(private).glob("imports/**/*.xlsx"))


def test_a_shared_strings_part_over_its_limit_is_refused_before_parsing(admins, report_type, period, settings, private):
    settings.EXCEL_MAX_SHARED_STRINGS_BYTES = 20_000
    data = rezip(BatchFile(report_type).data(), add={"xl/sharedStrings.xml": shared_strings(30_000)})
    with pytest.raises(services.ImportRefused) as refused:
        create(admins, report_type, period, data)
    assert refused.value.message == ("工作簿的文本部分（共享字符串 xl/sharedStrings.xml）解压后为 30 KB，超过上限 20 KB，"
                                     "文件不予接收。")
    assert stored_nothing(private)


def test_a_sheet_part_over_its_limit_is_refused_naming_the_sheet(admins, report_type, period, settings, private):
    settings.EXCEL_MAX_SHEET_BYTES = 5_000
    with pytest.raises(services.ImportRefused, match="工作表“经济指标”解压后为 14 KB，超过上限 5 KB"):
        create(admins, report_type, period, BatchFile(report_type).data())
    assert stored_nothing(private)


def test_too_many_rows_are_refused_from_the_sheet_dimension(admins, report_type, period, settings, private):
    settings.IMPORT_BATCH_MAX_ROWS, settings.IMPORT_PRODUCTS_MAX_ROWS = 3, 2
    batch = BatchFile(report_type)
    for n in range(4):
        batch.add(f"91330203MA2ZZZZZ{n}X", f"企业{n}", {})
    with pytest.raises(services.ImportRefused, match="工作表“经济指标”有 6 行，最多只能导入 5 行"):
        create(admins, report_type, period, batch.data())
    products = BatchFile(report_type).add("91330203MA2ZZZZZ0X", "企业", {})
    for n in range(3):
        products.add_product("91330203MA2ZZZZZ0X", {"name": f"产品{n}"})
    with pytest.raises(services.ImportRefused, match="工作表“产品产销存”有 4 行，最多只能导入 3 行"):
        create(admins, report_type, period, products.data())
    assert stored_nothing(private)


def test_a_sheet_without_dimension_is_counted_in_the_task_before_it_is_read(admins, report_type, period, settings, private,
                                                           django_capture_on_commit_callbacks):
    settings.IMPORT_BATCH_MAX_ROWS = 3
    batch = BatchFile(report_type)
    for n in range(4):
        batch.add(f"91330203MA2ZZZZZ{n}X", f"企业{n}", {})
    # No <dimension>: openpyxl then streams every row (a dimension that is there bounds its reading).
    data = rezip(batch.data(), replace={"xl/worksheets/sheet1.xml": lambda xml: re.sub(
        rb'<dimension ref="[^"]*"\s*/>', b"", xml)})
    with django_capture_on_commit_callbacks(execute=True):
        job = create(admins, report_type, period, data)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "工作表“经济指标”有 6 行，最多只能导入 5 行" in job.message
    assert not job.rows.exists()


@pytest.mark.parametrize("macro", [
    {"add": {"xl/vbaProject.bin": b"\x00" * 64}},
    {"replace": {"[Content_Types].xml": lambda xml: xml.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")}},
], ids=["vbaProject.bin", "xlsm content type"])
def test_a_macro_workbook_is_refused(admins, report_type, period, private, macro):
    with pytest.raises(services.ImportRefused, match="含宏的工作簿"):
        create(admins, report_type, period, rezip(BatchFile(report_type).data(), **macro))
    assert stored_nothing(private)


def test_the_request_only_checks_and_stores_the_file_the_task_counts_and_reads_it(
        admins, report_type, period, private, django_capture_on_commit_callbacks):
    batch = BatchFile(report_type)
    for n in range(3):
        batch.add(f"91330203MA2ZZZZZ{n}X", f"企业{n}", {})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = create(admins, report_type, period, batch.data())
    job.refresh_from_db()
    assert (job.status, job.total, job.processed) == (JobStatus.QUEUED, 0, 0) and Path(job.file.path).is_file()
    assert len(queued) == 1
    queued[0]()  # the task (eager by default)
    job.refresh_from_db()
    assert (job.status, job.total, job.processed, job.refused) == (JobStatus.DONE, 3, 3, 3)
    assert not Path(job.file.path + ".rows.jsonl").exists()  # the row spool is removed with the job's end


def test_chunks_read_the_spool_not_the_workbook_again(admins, report_type, period, private, monkeypatch):
    from formdefs import excel

    batch = BatchFile(report_type)
    for n in range(5):
        batch.add(f"91330203MA2ZZZZZ{n}X", f"企业{n}", {})
    job = create(admins, report_type, period, batch.data())
    reads = []
    original = excel.batch_read
    monkeypatch.setattr(excel, "batch_read", lambda **kwargs: reads.append(1) or original(**kwargs))
    while services.import_job_process(job=job, max_rows=2):
        job.refresh_from_db()
    job.refresh_from_db()
    assert (job.status, job.processed, len(reads)) == (JobStatus.DONE, 5, 1)
    assert [r.position for r in job.rows.all()] == [1, 2, 3, 4, 5]


def test_messages_are_capped_per_row_and_per_job_with_a_summary(admins, report_type, period, settings, private,
                                                               django_capture_on_commit_callbacks):
    settings.IMPORT_ROW_MAX_MESSAGES, settings.IMPORT_JOB_MAX_MESSAGES = 2, 4
    batch = BatchFile(report_type)
    demo01 = Enterprise.objects.get(user__username="com_demo01")
    columns = list(batch.columns)[:5]
    for n in range(3):
        batch.add(demo01.credit_code if n == 0 else f"91330203MA2ZZZZZ{n}X", f"企业{n}", {},
                  overrides={column: "abc" for column in columns})
    with django_capture_on_commit_callbacks(execute=True):
        job = create(admins, report_type, period, batch.data())
    job.refresh_from_db()
    rows = list(job.rows.all())
    assert all(row.outcome == RowOutcome.REFUSED for row in rows)
    first = rows[0].messages
    assert len(first) == 3 and first[2] == "另有 3 条错误未列出" and "只能填写数字" in first[0]
    assert len(rows[1].messages) == 1 and rows[2].messages == []  # the job's 4 lines are used up
    assert (job.messages_listed, job.messages_left_out) == (4, 5)
    assert job.status == JobStatus.DONE and job.message == "另有 5 条错误未列出"


def test_cells_beyond_the_template_width_are_counted_in_the_task(admins, report_type, period, settings, private,
                                                                 django_capture_on_commit_callbacks):
    settings.IMPORT_BATCH_MAX_ROWS = 3  # 5 sheet rows of (74 + 10) cells: 420 cells
    batch = BatchFile(report_type)
    for n in range(2):
        batch.ws.append([f"91330203MA2ZZZZZ{n}X", f"企业{n}"] + [1] * 400)
    with django_capture_on_commit_callbacks(execute=True):
        job = create(admins, report_type, period, batch.data())  # the request does not inflate the sheets
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message.startswith("工作表“经济指标”的单元格超过 420 个")
