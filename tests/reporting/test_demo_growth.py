"""The demo's reports show 累计同比增长 (本年1-本月 against 上年1-本月): report_save keeps answers as given, so
the demo fills their computed values as the wizard, the import and the API do (reporting.demo)."""
import pytest

pytestmark = pytest.mark.django_db


def test_demo_answers_carry_the_ytd_growth_to_the_detail_page(report_type, enterprise, period):
    from reporting.demo import answers_computed, monthly_answers
    from reporting.presenters import answers_present
    from reporting.services import report_save

    answers = answers_computed(report_type=report_type, enterprise=enterprise, period=period,
                               answers=monthly_answers(enterprise=enterprise, period=period))
    submission = report_save(report_type=report_type, enterprise=enterprise, period=period, answers=answers,
                             actor=enterprise.filler, check_window=False)
    grid = next(b for step in answers_present(version=submission.version, answers=submission.answers)
                for b in step["blocks"] if b.field == "ind")
    assert "累计同比增长(%)" in grid.columns
    revenue = next(r for r in grid.rows if r["id"] == "revenue")
    assert revenue["cells"][-1][0] == "11.11"  # the demo grows 11 % a year: 1/0.9 - 1
