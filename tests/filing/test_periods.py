"""Quarterly and annual tasks use reporting's periods: a quarter or a year is its last month, so a task and
the report type agree on the period, its label, its due date and whether it is finished; older tasks
on the first month are moved by migration filing.0002."""
import datetime
import importlib
import re

import pytest
from django.apps import apps as live_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from filing import services as svc
from filing.models import FilingTask
from filing.selectors import filing_task_get_for_enterprise, filing_task_periods_for_enterprise
from formdefs.models import WizardDraft
from formdefs.services import wizard_draft_key
from reporting.models import IndicatorFact, ReportType, Submission
from reporting.periods import period_current, period_due, period_is_open, period_key, period_label
from reporting.selectors import enterprise_periods

from .conftest import software_answers

pytestmark = pytest.mark.django_db
D = datetime.date


def _typed(software_type, frequency: str) -> ReportType:
    """A report type of `frequency` on the software definition (the engine does not care about the frequency)."""
    return ReportType.objects.create(key=f"software_{frequency}", title=f"软件业{frequency}报", frequency=frequency,
                                     definition=software_type.definition, by_task_only=True)


@pytest.fixture
def quarterly(software_type):
    return _typed(software_type, "quarterly")


@pytest.fixture
def annual(software_type):
    return _typed(software_type, "annual")


@pytest.mark.parametrize("frequency, on, current, label, due", [
    ("quarterly", D(2026, 10, 15), D(2026, 9, 1), "2026年第3季度", D(2026, 10, 20)),
    ("annual", D(2027, 1, 10), D(2026, 12, 1), "2026年度", D(2027, 1, 20)),
])
def test_a_task_and_its_report_type_agree_on_the_period(software_type, task_factory, soft, frequency, on, current,
                                                        label, due):
    report_type = _typed(software_type, frequency)
    assert period_current(report_type, on) == current
    task = task_factory(report_type=report_type, period=current, due_date=period_due(report_type, current))
    row = filing_task_get_for_enterprise(enterprise=soft, pk=task.pk)
    assert (task.period, task.period_key, task.due_date) == (current, period_key(current), due)
    assert row.period_label == period_label(frequency, current) == label
    assert filing_task_periods_for_enterprise(enterprise=soft) == [(current.isoformat(), label)]
    # The period is finished on `on` (open for the report type) and was not the day before it ended.
    assert period_is_open(report_type, task.period, on)
    assert not period_is_open(report_type, task.period, current)
    # The task's report is the report type's report of that period: same row, same due date.
    submission = svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    reporting_row = enterprise_periods(enterprise=soft, report_type=report_type, first=D(current.year, 1, 1),
                                       last=period_current(report_type, on), today=on)[0]
    assert (reporting_row.period, reporting_row.submission, reporting_row.due) == (current, submission, task.due_date)
    assert reporting_row.is_open and IndicatorFact.objects.filter(submission=submission, period=current).exists()


@pytest.mark.parametrize("frequency, first_month, message", [
    ("quarterly", D(2026, 7, 1), "季报的报告期为该季度最后一个月（3、6、9或12月）：2026年第3季度请填 2026-09。"),
    ("annual", D(2026, 1, 1), "年报的报告期为该年12月：2026年度请填 2026-12。"),
])
def test_the_first_month_is_refused_naming_the_month_to_enter(software_type, admins, frequency, first_month, message):
    from regions.selectors import region_by_code

    with pytest.raises(ValidationError) as exc:
        svc.filing_task_create(actor=admins["sme_zhejiang"], title="任务", report_type=_typed(software_type, frequency),
                               period=first_month, issuing_region=region_by_code("330000", level=1),
                               due_date=D(2027, 1, 20))
    assert exc.value.message_dict == {"period": [message]}
    assert not FilingTask.objects.exists()


def test_the_due_date_may_fall_inside_the_quarter_but_not_before_it(quarterly, task_factory):
    with pytest.raises(ValidationError) as exc:
        task_factory(report_type=quarterly, period=D(2026, 9, 1), due_date=D(2026, 6, 30))
    assert exc.value.message_dict == {"due_date": ["截止日期不能早于报告期。"]}
    assert task_factory(report_type=quarterly, period=D(2026, 9, 1), due_date=D(2026, 8, 31)).due_date == D(2026, 8, 31)


def test_back_office_form_takes_a_quarter_and_refuses_its_first_month(client, admins, quarterly):
    from regions.selectors import region_by_code

    client.force_login(admins["sme_ningbo"])
    fields = {"title": "宁波软件业季报", "report_type": quarterly.pk, "issuing_region": region_by_code("330200", level=2).pk,
              "industry_prefix": "I65", "due_date": "2026-10-20"}
    html = client.post(reverse("filing_admin:task_create"), {**fields, "period": "2026-07"}).content.decode()
    assert re.findall(r'error-message">([^<]*)<', html) == [
        "季报的报告期为该季度最后一个月（3、6、9或12月）：2026年第3季度请填 2026-09。"]
    html = client.post(reverse("filing_admin:task_create"), {**fields, "period": "2026-Q13"}).content.decode()
    assert "请输入月份（如 2026-05）、季度（如 2026-Q2）或年度（如 2026）。" in html
    assert not FilingTask.objects.exists()
    client.post(reverse("filing_admin:task_create"), {**fields, "period": "2026-Q3"})
    task = FilingTask.objects.get()
    assert task.period == D(2026, 9, 1)
    assert "2026年第3季度" in client.get(reverse("filing_admin:task", args=[task.pk])).content.decode()
    assert 'value="2026-09"' in client.get(reverse("filing_admin:task_edit", args=[task.pk])).content.decode()


# -- migration filing.0002 ------------------------------------------------------------------------

def _migration():
    return importlib.import_module("filing.migrations.0002_period_is_last_month")


def _legacy(task, submission, first_month: datetime.date) -> None:
    """Put a task and its report back on the period's first month, as tasks were stored before 0002."""
    FilingTask.objects.filter(report_type=task.report_type, period=task.period).update(period=first_month)
    IndicatorFact.objects.filter(submission=submission).update(period=first_month)
    Submission.objects.filter(pk=submission.pk).update(period=first_month)


def test_migration_moves_tasks_reports_facts_and_drafts_to_the_last_month_and_back(
        software_type, quarterly, annual, task_factory, soft, admins):
    q_task = task_factory(report_type=quarterly, period=D(2026, 9, 1), due_date=D(2026, 10, 20))
    q_other = task_factory("sme_ningbo", report_type=quarterly, period=D(2026, 9, 1), due_date=D(2026, 10, 20))
    y_task = task_factory(report_type=annual, period=D(2025, 12, 1), due_date=D(2026, 1, 20))
    m_task = task_factory(report_type=software_type, period=D(2026, 7, 1), due_date=D(2026, 8, 20))
    save = dict(enterprise=soft, answers=software_answers(), actor=soft.filler)
    q_report, y_report, m_report = (svc.filing_report_save(task=t, **save) for t in (q_task, y_task, m_task))
    _legacy(q_task, q_report, D(2026, 7, 1))
    _legacy(y_task, y_report, D(2025, 1, 1))
    # Drafts under the key the wizard really stores them by (formdefs.services.wizard_draft_key).
    draft = WizardDraft.objects.create(user=soft.filler, key=wizard_draft_key(f"report:{quarterly.key}:{soft.pk}:2026-07"))
    monthly_draft = WizardDraft.objects.create(
        user=soft.filler, key=wizard_draft_key(f"report:{software_type.key}:{soft.pk}:2026-07"))

    def periods():
        return ([FilingTask.objects.get(pk=t.pk).period for t in (q_task, q_other, y_task, m_task)],
                [Submission.objects.get(pk=s.pk).period for s in (q_report, y_report, m_report)],
                {f.period for f in IndicatorFact.objects.filter(submission__in=[q_report, y_report])},
                [WizardDraft.objects.get(pk=d.pk).key.rsplit(":", 1)[1] for d in (draft, monthly_draft)])

    before = periods()
    assert before == ([D(2026, 7, 1), D(2026, 7, 1), D(2025, 1, 1), D(2026, 7, 1)],
                      [D(2026, 7, 1), D(2025, 1, 1), D(2026, 7, 1)], {D(2026, 7, 1), D(2025, 1, 1)},
                      ["2026-07", "2026-07"])
    _migration().to_last_month(live_apps, None)
    assert periods() == ([D(2026, 9, 1), D(2026, 9, 1), D(2025, 12, 1), D(2026, 7, 1)],  # the monthly task stays
                         [D(2026, 9, 1), D(2025, 12, 1), D(2026, 7, 1)], {D(2026, 9, 1), D(2025, 12, 1)},
                         ["2026-09", "2026-07"])
    assert filing_task_get_for_enterprise(enterprise=soft, pk=q_task.pk).submission == q_report
    _migration().to_last_month(live_apps, None)  # again: nothing left to move
    assert periods()[0][:3] == [D(2026, 9, 1), D(2026, 9, 1), D(2025, 12, 1)]
    _migration().to_first_month(live_apps, None)
    assert periods() == before


def test_migration_refuses_to_merge_two_reports_of_one_quarter(quarterly, task_factory, soft):
    task = task_factory(report_type=quarterly, period=D(2026, 9, 1), due_date=D(2026, 10, 20))
    kept = svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    Submission.objects.filter(pk=kept.pk).update(period=D(2026, 7, 1))
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    with pytest.raises(RuntimeError, match="already have a report for 2026-09"):
        _migration().to_last_month(live_apps, None)
    assert Submission.objects.get(pk=kept.pk).period == D(2026, 7, 1)
