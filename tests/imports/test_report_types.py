"""企业上报导入 for every report type filed directly (issue 19 §2): the page chooses the type, its template
and jobs carry it, and a row of an enterprise the type does not apply to is refused and changes nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise
from imports.models import ImportJob
from reporting.models import Submission
from reporting.periods import month_add
from tests.reporting.conftest import Builder, make_report_type  # noqa: F401 (fixture)

from .builders import BatchFile

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_page_chooses_the_type_and_its_rows_outside_the_type_are_refused(
        client, admins, report_type, reports, make_report_type, period, django_capture_on_commit_callbacks):
    pilot = make_report_type("haishu_pilot", title="海曙试点月报", region_prefixes=["330203"])
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/imports/", {"type": "haishu_pilot"}).content.decode()
    assert '<option value="haishu_pilot" selected>' in page and "/admin/imports/template/?type=haishu_pilot" in page
    template = client.get("/admin/imports/template/", {"type": "haishu_pilot"})
    assert 'filename="haishu_pilot-batch-v1.xlsx"' in template["Content-Disposition"]

    pilot_reports = Builder(pilot, reports.questionnaire)
    haishu, jiangbei = (Enterprise.objects.get(user__username=u) for u in ("com_demo01", "com_demo02"))
    batch = BatchFile(pilot)
    pilot_reports.approved(haishu, month_add(period, -1))  # the 基本信息 a batch row does not hold
    for enterprise in (haishu, jiangbei):
        batch.add(enterprise.credit_code, enterprise.name, reports.answers(enterprise, period)["ind"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/imports/", {"type": "haishu_pilot", "period": f"{period:%Y-%m}",
                                        "file": SimpleUploadedFile("试点.xlsx", batch.data(), XLSX)})
    job = ImportJob.objects.get()
    assert job.report_type == pilot and (job.imported, job.refused) == (1, 1)
    assert set(Submission.objects.filter(report_type=pilot, period=period).values_list("enterprise", flat=True)) == {haishu.pk}
    refused = job.rows.get(enterprise=jiangbei)
    assert refused.messages == ["宁波江北示范软件有限公司不属于“海曙试点月报”的填报范围。 [行号: 4]"]
    jobs = client.get("/admin/imports/").content.decode()
    assert "海曙试点月报" in jobs
