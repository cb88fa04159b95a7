"""企业上报导入's 预检 (issue 21 §4): every row checked as the import checks it, what it would do
listed, nothing written; the import asks before it overwrites enterprises' own drafts."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise
from formdefs.models import WizardDraft
from formdefs.services import wizard_draft_key, wizard_draft_save
from imports.enums import PrecheckOutcome
from imports.models import ImportJob, ImportRow
from imports.precheck import import_precheck
from reporting.models import IndicatorFact, Submission
from reporting.selectors import report_draft_key
from workflow.models import ReviewEvent

from .builders import BatchFile, approved_before

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ent(username: str) -> Enterprise:
    return Enterprise.objects.select_related("region", "filler").get(user__username=username)


def _state():
    """Everything an import could write, to compare before and after."""
    return (list(Submission.objects.order_by("pk").values_list("pk", "status", "updated_at", "entry_method")),
            IndicatorFact.objects.count(), ReviewEvent.objects.count(), ImportJob.objects.count(),
            ImportRow.objects.count(), WizardDraft.objects.count())


@pytest.fixture
def batch(report_type, period, reports):
    """Row 3 com_demo01 new (with a wizard draft), row 4 com_demo02 overwrites its saved report, row 5
    com_demo03 outside 宁波, row 6 a cell that is not a number."""
    demo01, demo02, demo03 = ent("com_demo01"), ent("com_demo02"), ent("com_demo03")
    approved_before(reports, demo01, period)
    reports.save(demo02, period)  # 编辑: the enterprise's own saved report
    wizard_draft_save(user=demo01.filler, key=wizard_draft_key(report_draft_key(report_type, demo01, period)),
                      data={"step": "main"})
    grid = reports.answers(demo01, period)["ind"]
    data = (BatchFile(report_type).add(demo01.credit_code, demo01.name, grid)
            .add(demo02.credit_code, demo02.name, reports.answers(demo02, period)["ind"])
            .add(demo03.credit_code, demo03.name, grid)
            .add(demo02.credit_code, demo02.name, grid, overrides={("营业成本", "本年本月"): "12a"}).data())
    return data, (demo01, demo02, demo03)


@pytest.mark.django_db
def test_precheck_says_what_each_row_would_do_and_writes_nothing(client, admins, report_type, period, batch):
    data, (demo01, demo02, demo03) = batch
    before = _state()
    precheck = import_precheck(actor=admins["sme_ningbo"], report_type=report_type, period=period, file=data)
    rows = {row.row_number: row for row in precheck.rows}
    assert [rows[n].outcome for n in (3, 4, 5, 6)] == [PrecheckOutcome.NEW, PrecheckOutcome.OVERWRITE,
                                                       PrecheckOutcome.REFUSED, PrecheckOutcome.REFUSED]
    assert rows[3].messages == ["将导入并上报 [行号: 3]"] and rows[3].has_wizard_draft
    assert rows[4].messages == ["将覆盖已保存的报表（编辑）并上报 [行号: 4]"] and rows[4].saved_status == "编辑"
    assert rows[5].messages == [f"{demo03.name}不在您的管辖地区，不能导入 [行号: 5]"]
    assert any("只能填写数字" in m and "[行号: 6]" in m for m in rows[6].messages)
    assert [r.enterprise for r in precheck.drafts] == [demo01, demo02]
    client.force_login(admins["sme_ningbo"])
    page = client.post("/admin/imports/", {"period": f"{period:%Y-%m}", "action": "precheck",
                                           "file": SimpleUploadedFile("批量.xlsx", data, XLSX)})
    html = page.content.decode()
    assert page.status_code == 200 and f"{period:%Y-%m}预检结果（未导入任何数据）" in html
    assert "新建1家，覆盖已保存报表1家，不能导入2家。" in html and 'data-outcome="overwrite"' in html
    assert _state() == before


@pytest.mark.django_db
def test_import_lists_the_drafts_it_would_overwrite_and_asks_first(client, admins, report_type, period, batch,
                                                                   django_capture_on_commit_callbacks):
    data, (demo01, demo02, _demo03) = batch
    client.force_login(admins["sme_ningbo"])
    before = _state()
    page = client.post("/admin/imports/", {"period": f"{period:%Y-%m}", "action": "import",
                                           "file": SimpleUploadedFile("批量.xlsx", data, XLSX)})
    assert page.status_code == 200 and _state() == before  # nothing imported yet
    drafts = page.context["drafts"]
    assert [(r.row_number, r.enterprise) for r in drafts] == [(3, demo01), (4, demo02)]
    html = page.content.decode()
    assert "本次导入将覆盖2家企业" in html and demo01.name in html and demo02.credit_code in html
    held = page.context["held"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/admin/imports/", {"type": report_type.key, "held": held, "action": "confirm"})
    job = ImportJob.objects.get()
    assert done.url == f"/admin/imports/jobs/{job.pk}/" and job.file_name == "批量.xlsx"
    again = client.post("/admin/imports/", {"type": report_type.key, "held": held, "action": "confirm"})
    assert ImportJob.objects.count() == 1 and "待确认的文件已不再保留" in again.content.decode()  # used once


@pytest.mark.django_db
def test_cancelling_the_confirmation_imports_nothing(client, admins, report_type, period, batch):
    data, _enterprises = batch
    client.force_login(admins["sme_ningbo"])
    page = client.post("/admin/imports/", {"period": f"{period:%Y-%m}",
                                           "file": SimpleUploadedFile("批量.xlsx", data, XLSX)})
    before = _state()
    client.post("/admin/imports/", {"type": report_type.key, "held": page.context["held"], "action": "cancel"})
    assert _state() == before and ImportJob.objects.count() == 0
