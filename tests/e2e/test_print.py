"""A report printed from Chromium (issue 21 §3): the detail page under print media shows the official form
(marks, reporting unit, signature block) and hides the screen parts; the print view makes an A4
landscape PDF with the signature block, 第 X 页，共 N 页 in the bottom margin and the grid's header row on
every page; on a 390 px phone the print view reads without sideways scrolling."""
import re
from datetime import timedelta

import pytest

from .conftest import login
from .pdf_text import pdf_text

PASSWORD = "Demo@2026sme"
MOBILE = "13800000001"  # com_demo01


@pytest.fixture
def approved_report(e2e_demo, settings):
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types
    from reporting.periods import month_add, period_current
    from tests.reporting.conftest import Builder

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    report_type, questionnaire = _ensure_types()[:2]
    enterprise = Enterprise.objects.get(filler__username="com_demo01")
    submission = Builder(report_type, questionnaire).approved(enterprise, month_add(period_current(report_type), -1))
    report_type.approval_number = "国统制〔2024〕12号"
    report_type.save(update_fields=["approval_number"])
    return submission


def visible(page, selector) -> bool:
    return page.locator(selector).first.is_visible()


def test_print_a_report_on_paper_desktop_and_phone(approved_report, page, live_server, shot):
    base = live_server.url
    login(page, base, "com_demo01", PASSWORD, MOBILE)
    page.goto(f"{base}/reports/s/{approved_report.pk}/")
    assert not visible(page, ".rp-form-head") and not visible(page, ".rp-sign")  # print only
    page.emulate_media(media="print")
    assert visible(page, ".rp-form-head") and visible(page, ".rp-sign")
    assert not visible(page, ".site-header") and not visible(page, ".rp-detail-actions") and not visible(page, ".rp-events")
    assert "国统制〔2024〕12号" in page.inner_text(".rp-form-marks")
    sign = page.inner_text(".rp-sign")
    for label in ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期"):
        assert label in sign
    assert approved_report.filler_name in sign
    shot(page, "print-detail-print-media")

    page.emulate_media(media="screen")
    page.goto(f"{base}/reports/s/{approved_report.pk}/print/")
    assert re.search(r"\d{1,3}(,\d{3})+", page.inner_text("table.rp-grid"))  # thousands separators
    page.emulate_media(media="print")  # what page.pdf() uses unless told otherwise (screen was emulated above)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", pdf).groups()]
    width, height = box[2] - box[0], box[3] - box[1]
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2, (width, height)  # A4 landscape in points
    paper = re.sub(r"\s+", "", pdf_text(pdf))
    for label in ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期", "表号", "国统制"):
        assert label in paper, label
    assert approved_report.filler_name in paper and "打印" not in paper  # no screen button on paper
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert re.search(rf"第1\S共{pages}", paper) and re.search(rf"第{pages}\S共{pages}", paper)  # 第 X 页，共 N 页
    assert paper.count("指标单位本年本月") == 2  # the grid runs onto page 2 and its header row is repeated there
    shot(page, "print-view-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert visible(page, ".rp-sign")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths  # wide tables scroll inside their box, not the page
    shot(page, "print-view-phone")
