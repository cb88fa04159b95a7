"""上报导入's 预检 in the portal (issue 21 §4): the same reading and checks as the import, nothing saved;
it says whether the import would overwrite the enterprise's saved report."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import IndicatorFact, Submission
from reporting.periods import month_add

from tests.reporting.test_excel_views import NUMBERS, fill, rows_that_apply, template_bytes, web  # noqa: F401

pytestmark = pytest.mark.django_db


def _precheck(web, period, content):  # noqa: F811
    return web.post(reverse("reporting:import"), {"period": f"{period:%Y-%m}", "filler_name": "王填报",
                                                  "action": "precheck", "file": SimpleUploadedFile("f.xlsx", content)})


def _state():
    return list(Submission.objects.order_by("pk").values_list("pk", "status", "updated_at", "answers")), \
        IndicatorFact.objects.count()


def test_portal_precheck_saves_nothing_and_says_what_it_would_overwrite(web, reports, enterprise, period):  # noqa: F811
    reports.approved(enterprise, month_add(period, -1))
    data = template_bytes(web)
    good = fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)})
    before = _state()
    page = _precheck(web, period, good)
    html = page.content.decode()
    assert page.status_code == 200 and f"{period:%Y-%m}预检通过（未保存任何数据）" in html
    assert "导入后将按文件新建报表" in html and _state() == before
    bad = fill(data, {"营业收入": {"本年本月": "12a"}})
    refused = _precheck(web, period, bad)
    assert "预检发现" in refused.content.decode() and refused.context["errors"] and _state() == before
    saved = reports.save(enterprise, period)
    before = _state()
    again = _precheck(web, period, good).content.decode()
    assert 'data-testid="precheck-overwrite"' in again and "覆盖您已保存的报表（编辑" in again
    assert _state() == before and Submission.objects.get(pk=saved.pk).entry_method == saved.entry_method
