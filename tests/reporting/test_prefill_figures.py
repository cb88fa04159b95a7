"""A new period starts from the enterprise's 基本信息, never from an earlier month's figures."""
import datetime

import pytest

from tests.reporting.conftest import enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_report_whose_first_step_is_its_grid_starts_empty(demo_core):
    """The Shanghai report's only step is its indicator grid: the last approved month (2021-03) must not
    reappear in 2021-04 as if the filler had typed it."""
    from enterprises.models import Enterprise
    from reporting import demo_shanghai
    from reporting.models import ReportType
    from reporting.selectors import report_initial_answers

    demo_shanghai.seed_demo()
    shanghai = ReportType.objects.get(key="shanghai_monthly")
    company = Enterprise.objects.get(filler__username=demo_shanghai.DEMO_LOGIN)
    assert company.submissions.filter(period=datetime.date(2021, 3, 1), status="approved").exists()

    initial = report_initial_answers(report_type=shanghai, enterprise=company, period=datetime.date(2021, 4, 1))
    assert "ind" not in initial


def test_the_monthly_reports_basic_information_is_still_carried(reports, report_type, enterprise, period):
    from reporting.periods import month_add
    from reporting.selectors import report_initial_answers

    last = month_add(period, -1)
    answers = reports.answers(enterprise, last)
    answers["provincial_specialized"] = True
    reports.approved(enterprise, last, answers=answers)
    initial = report_initial_answers(report_type=report_type, enterprise=enterprise, period=period)
    assert initial.get("provincial_specialized") is True  # a yearly extra of 基本信息, carried
    assert "ind" not in initial and "products" not in initial
