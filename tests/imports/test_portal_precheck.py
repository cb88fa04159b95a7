"""上报导入 in the portal (issue 21 §4): an upload is a 预检 (the same reading and checks as the import, nothing
saved) that lists the cells it changes and says whether it replaces the enterprise's saved report; 确认导入
writes, 取消 changes nothing, and a report saved after the 预检 is not overwritten."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.enums import EntryMethod
from reporting.models import IndicatorFact, Submission
from reporting.periods import month_add

from tests.reporting.test_excel_views import NUMBERS, fill, rows_that_apply, template_bytes, web  # noqa: F401

pytestmark = pytest.mark.django_db


def _upload(web, period, content):  # noqa: F811
    return web.post(reverse("reporting:import"), {"period": f"{period:%Y-%m}", "filler_name": "王填报",
                                                  "action": "precheck", "file": SimpleUploadedFile("f.xlsx", content)})


def _state():
    return list(Submission.objects.order_by("pk").values_list("pk", "status", "updated_at", "answers")), \
        IndicatorFact.objects.count()


def test_upload_prechecks_then_confirm_writes_and_a_later_save_is_not_overwritten(web, reports, enterprise, period):  # noqa: F811
    reports.approved(enterprise, month_add(period, -1))
    data = template_bytes(web)
    good = fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)})
    before = _state()
    page = _upload(web, period, good)
    html = page.content.decode()
    assert page.status_code == 200 and f"{period:%Y-%m}预检通过（未保存任何数据）" in html
    assert "导入后将按文件新建报表" in html and 'data-testid="confirm-import"' in html and _state() == before
    refused = _upload(web, period, fill(data, {"营业收入": {"本年本月": "12a"}}))
    assert "预检发现" in refused.content.decode() and refused.context["errors"] and not refused.context["held"]
    # 取消: nothing changes, the held file is dropped (confirming it afterwards imports nothing)
    held = page.context["held"]
    cancelled = web.post(reverse("reporting:import"), {"held": held, "action": "cancel"}, follow=True)
    assert "未导入任何数据。" in cancelled.content.decode() and _state() == before
    assert web.post(reverse("reporting:import"), {"held": held, "action": "confirm"}).status_code == 302
    assert _state() == before

    # a saved draft: the 预检 says it replaces it, saved when, and lists the cells that change
    saved = reports.save(enterprise, period)
    before = _state()
    page = _upload(web, period, good)
    html = page.content.decode()
    assert 'data-testid="precheck-overwrite"' in html and f"替换您已保存的{period:%Y-%m}报表（编辑，保存于" in html
    changes = page.context["precheck"].changes
    assert any(c.label.endswith("营业收入 · 本年1-本月") and c.after == "9,000" for c in changes), changes[:5]
    assert 'data-testid="precheck-changes"' in html and _state() == before
    # saved again (another tab) between the 预检 and 确认导入: refused with a message, not overwritten
    stale = page.context["held"]
    reports.save(enterprise, period, answers=reports.answers(enterprise, period, scale=2))
    before = _state()
    response = web.post(reverse("reporting:import"), {"held": stale, "action": "confirm"}, follow=True)
    assert "预检后又于" in response.content.decode() and "本次未导入任何数据" in response.content.decode()
    assert _state() == before and Submission.objects.get(pk=saved.pk).entry_method == EntryMethod.ONLINE
    # a fresh 预检 against the saved report, confirmed: written, the detail page opens
    page = _upload(web, period, good)
    done = web.post(reverse("reporting:import"), {"held": page.context["held"], "action": "confirm"})
    assert done.status_code == 302 and done.url == reverse("reporting:detail", args=[saved.pk])
    imported = Submission.objects.get(pk=saved.pk)
    assert imported.entry_method == EntryMethod.IMPORT and imported.answers["ind"]["revenue"]["ytd"] == 9000
