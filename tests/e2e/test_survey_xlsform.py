"""导入XLSForm / 导出XLSForm and the all-questions statistics in Chromium: a refused workbook lists its problems
by sheet, row and column; a good one becomes a draft (designer step 1); the list downloads it back as an XLSForm;
on a phone the import page and the statistics of the enabled questionnaire read well."""
import io

import pytest
from pyxform.xls2xform import convert

from ..survey_builder.xlsforms import workbook
from .conftest import PHONE, login

PASSWORD = "Demo@2026sme"


@pytest.fixture
def survey_setup(e2e_demo):
    from reporting.demo import _ensure_types
    from reporting.periods import period_current

    report_type, _shipped, _lines = _ensure_types()
    return {"period": period_current(report_type)}


def test_import_refused_then_imported_exported_and_counted(live_server, survey_setup, browser, shot, tmp_path):
    from enterprises.models import Enterprise
    from survey_builder import services
    from survey_builder.models import Questionnaire

    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "sme_ningbo", PASSWORD, "13900000003")
    page.goto(f"{base}/admin/surveys/")
    page.click("[data-testid=xlsform-import]")
    bad, good = tmp_path / "bad.xlsx", tmp_path / "月度调查.xlsx"
    bad.write_bytes(workbook([["geopoint", "where", "位置"] + [None] * 8, ["calculate", "x", None] + [None] * 8]))
    good.write_bytes(workbook())
    page.set_input_files("input[type=file]", str(bad))
    page.click("[data-testid=xlsform-submit]")
    problems = page.locator("[data-testid=xlsform-problems]")
    assert "工作表“survey”，第2行，“type”列" in problems.inner_text() and "第3行" in problems.inner_text()
    shot(page, "survey-xlsform-refused")
    page.set_input_files("input[type=file]", str(good))
    page.click("[data-testid=xlsform-submit]")
    page.wait_for_url("**/design/1/")
    questionnaire = Questionnaire.objects.get(title="中小企业月度经营调查")
    assert page.locator("#id_title").input_value() == "中小企业月度经营调查"
    page.goto(f"{base}/admin/surveys/")
    with page.expect_download() as download:
        page.click(f"tr[data-code='{questionnaire.code}'] [data-testid=xlsform-export]")
    content = open(download.value.path(), "rb").read()
    assert "中小企业月度经营调查" in convert(xlsform=io.BytesIO(content), file_type=".xlsx", warnings=[]).xform
    shot(page, "survey-xlsform-list")
    phone = browser.new_context(**PHONE, locale="zh-CN", storage_state=context.storage_state())  # the same login
    context.close()
    # enabled and answered: on a phone, every question's statistics on one page
    designer = questionnaire.created_by
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    version = questionnaire.definition.versions.get()
    for name, answers in (("com_demo01", {"q1": "fair", "q2": ["cash"], "staff": 20, "grid": {"orders": "up", "prices": "same"}}),
                          ("com_demo02", {"q1": "good", "staff": 3})):
        enterprise = Enterprise.objects.get(user__username=name)
        services.questionnaire_response_store(questionnaire=questionnaire, enterprise=enterprise, period=survey_setup["period"],
                                              version=version, answers=answers, actor=enterprise.filler)
    phone_page = phone.new_page()
    phone_page.goto(f"{base}/admin/surveys/import-xlsform/")
    shot(phone_page, "survey-xlsform-import-phone")
    phone_page.goto(f"{base}/admin/surveys/{questionnaire.pk}/statistics/")
    phone_page.wait_for_selector("#sb-chart-7[data-rendered=matrix] svg")
    responses = phone_page.locator("[data-testid=responses]").all_inner_texts()
    assert responses == ["2", "1", "1"]  # q1 by both, q2 and the table by the one shown them
    shot(phone_page, "survey-statistics-all-phone")
    phone_page.locator("#sb-q7 [data-testid=counts]").scroll_into_view_if_needed()
    shot(phone_page, "survey-statistics-matrix-phone")
    phone.close()
