"""Saving reports, the facts table, information changes (freeze / automatic unfreeze), periods."""
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting.enums import ChangeStatus
from reporting.models import IndicatorFact, InformationChange, Submission
from reporting.periods import month_add, period_current, period_due, period_is_open
from reporting.services import ReportRefused, facts_rebuild, information_changes_settle, report_submit
from workflow.enums import Action
from reporting.enums import SubmissionStatus as S
from workflow.models import ReviewEvent

pytestmark = pytest.mark.django_db


def fact_rows(submission=None):
    qs = IndicatorFact.objects.all() if submission is None else IndicatorFact.objects.filter(submission=submission)
    return sorted(qs.values_list("submission_id", "field", "row", "column", "label", "value", "status", "region_code",
                                 "industry_code", "period"))


# -- periods -----------------------------------------------------------------------------------

def test_periods_due_and_window(report_type):
    on = datetime.date(2026, 1, 15)
    assert period_current(report_type, on) == datetime.date(2025, 12, 1)
    assert period_due(report_type, datetime.date(2025, 12, 1)) == datetime.date(2026, 1, 20)
    assert period_is_open(report_type, datetime.date(2025, 1, 1), on)  # last year: back-fill
    assert not period_is_open(report_type, datetime.date(2024, 12, 1), on)  # two years ago
    assert not period_is_open(report_type, datetime.date(2026, 1, 1), on)  # the month is not over


def test_quarterly_report_type_has_quarter_periods(report_type):
    report_type.frequency = "quarterly"
    assert period_current(report_type, datetime.date(2026, 5, 2)) == datetime.date(2026, 3, 1)
    assert not period_is_open(report_type, datetime.date(2026, 2, 1), datetime.date(2026, 5, 2))


# -- saving ------------------------------------------------------------------------------------

def test_save_keeps_answers_and_writes_facts(reports, enterprise, period):
    submission = reports.save(enterprise, period)
    assert submission.status == S.EDITING and submission.filler == enterprise.filler
    revenue = IndicatorFact.objects.get(submission=submission, field="ind", row="revenue", column="ytd")
    assert float(revenue.value) == submission.answers["ind"]["revenue"]["ytd"]
    assert revenue.region_code == "330203" and revenue.industry_code == "C3435" and revenue.period == period
    product = IndicatorFact.objects.get(submission=submission, field="products", row="0", column="stock")
    assert product.label == "示范产品" and float(product.value) == 300.0
    assert IndicatorFact.objects.filter(submission=submission, field="revenue_last_year", row="", column="").exists()
    assert not IndicatorFact.objects.filter(submission=submission, field="name").exists()  # text is not a fact


def test_saving_again_replaces_the_facts(reports, enterprise, period):
    submission = reports.save(enterprise, period)
    answers = dict(submission.answers, products=[])
    reports.save(enterprise, period, answers=answers)
    assert not IndicatorFact.objects.filter(submission=submission, field="products").exists()


def test_facts_rebuilt_identically(reports, enterprise, period, demo_core):
    from accounts.models import User

    reports.approved(enterprise, month_add(period, -1))
    reports.submitted(enterprise, period)
    other = User.objects.get(username="com_demo02").filled_enterprises.get()
    reports.save(other, period)
    before = fact_rows()
    assert len(before) > 100
    IndicatorFact.objects.all().delete()
    call_command("facts_rebuild", verbosity=0)
    assert fact_rows() == before
    assert facts_rebuild() == len(before)


def test_save_refused_outside_the_window_and_when_not_editable(reports, enterprise, period):
    with pytest.raises(ReportRefused):
        reports.save(enterprise, month_add(period, 1))  # the current month is not over
    with pytest.raises(ReportRefused):
        reports.save(enterprise, datetime.date(period.year - 2, 1, 1))
    submission = reports.submitted(enterprise, period)
    with pytest.raises(ReportRefused, match="不能修改"):
        reports.save(enterprise, period)
    submission.refresh_from_db()
    assert submission.status == S.PENDING


def test_non_filler_cannot_save(reports, enterprise, period, demo_core):
    from django.core.exceptions import PermissionDenied

    from accounts.models import User

    with pytest.raises(PermissionDenied):
        reports.save(enterprise, period, actor=User.objects.get(username="com_demo02"))
    assert not Submission.objects.exists()


def test_severe_warnings_need_the_fillers_note(reports, enterprise, period, filler):
    from formdefs.services import formdef_publish_document

    submission = reports.save(enterprise, period)
    reports.answer_questionnaire(enterprise, period)
    # a version of the definition with a severe rule that always fires
    document = dict(submission.version.document)
    document["version"] += 1
    document["rules"] = document["rules"] + [{"id": "severe_demo", "severity": "severe", "expr": "false", "message": "严重警告示例"}]
    Submission.objects.filter(pk=submission.pk).update(version=formdef_publish_document(document=document))
    submission.refresh_from_db()
    with pytest.raises(ReportRefused, match="填报人说明"):
        report_submit(submission=submission, actor=filler)
    Submission.objects.filter(pk=submission.pk).update(explanation="上月设备检修，产量下降")
    submission.refresh_from_db()
    submission = report_submit(submission=submission, actor=filler)
    assert submission.status == S.PENDING and [i["code"] for i in submission.issues] == ["severe_demo"]


# -- information changes -----------------------------------------------------------------------

def changed(reports, enterprise, period, **values):
    answers = reports.answers(enterprise, period)
    answers.update(values)
    return reports.save(enterprise, period, answers=answers)


def test_changing_the_name_freezes_and_records_the_change(reports, enterprise, period):
    old = enterprise.name
    submission = changed(reports, enterprise, period, name="宁波海曙示范机械股份有限公司")
    assert submission.status == S.FROZEN
    change = InformationChange.objects.get(submission=submission)
    assert change.before["name"] == old and change.after["name"] == "宁波海曙示范机械股份有限公司"
    assert change.status == ChangeStatus.PENDING and change.check_after > timezone.now()
    # not yet due: nothing happens on read
    assert information_changes_settle(enterprise=enterprise) == 0
    submission.refresh_from_db()
    assert submission.status == S.FROZEN


def test_automatic_check_unfreezes_a_consistent_change(reports, enterprise, period):
    submission = changed(reports, enterprise, period, name="宁波海曙示范机械股份有限公司", industry="C3436")
    assert information_changes_settle(enterprise=enterprise, now=timezone.now() + datetime.timedelta(minutes=3)) == 1
    submission.refresh_from_db()
    enterprise.refresh_from_db()
    assert submission.status == S.UNFROZEN
    assert enterprise.name == "宁波海曙示范机械股份有限公司" and enterprise.industry.full_code == "C3436"
    assert InformationChange.objects.get().status == ChangeStatus.AUTO_APPROVED
    unfreeze = ReviewEvent.objects.filter(submission=submission).last()
    assert unfreeze.action == Action.UNFREEZE and unfreeze.actor is None
    # unfrozen reports can be submitted
    reports.answer_questionnaire(enterprise, period)
    assert report_submit(submission=submission, actor=enterprise.filler).status == S.PENDING


def test_inconsistent_change_stays_frozen_for_the_reviewer(reports, enterprise, period, demo_core):
    from accounts.models import User

    taken = User.objects.get(username="com_demo02").filled_enterprises.get()
    submission = changed(reports, enterprise, period, credit_code=taken.credit_code)
    information_changes_settle(now=timezone.now() + datetime.timedelta(minutes=3))
    submission.refresh_from_db()
    change = InformationChange.objects.get()
    assert submission.status == S.FROZEN and change.status == ChangeStatus.HELD
    assert change.problems and enterprise.credit_code != taken.credit_code


def test_the_periodic_sweep_task_runs_the_check(reports, enterprise, period):
    from reporting.tasks import information_changes_sweep

    submission = changed(reports, enterprise, period, name="宁波海曙示范机械股份有限公司")
    InformationChange.objects.update(check_after=timezone.now() - datetime.timedelta(seconds=1))
    assert information_changes_sweep.delay().get() == 1
    submission.refresh_from_db()
    assert submission.status == S.UNFROZEN


def test_frozen_report_cannot_be_edited_or_submitted(reports, enterprise, period):
    reports.answer_questionnaire(enterprise, period)  # before the report exists: a frozen report closes its answers
    submission = changed(reports, enterprise, period, name="宁波海曙示范机械股份有限公司")
    with pytest.raises(ReportRefused):
        reports.save(enterprise, period)
    from workflow.transitions import TransitionRefused

    with pytest.raises(TransitionRefused):
        report_submit(submission=submission, actor=enterprise.filler)


def test_a_returned_change_freezes_again_when_resubmitted_unchanged(reports, enterprise, period, admins):
    from reporting.services.changes import information_change_return

    submission = changed(reports, enterprise, period, name="宁波海曙示范机械股份有限公司")
    change = InformationChange.objects.get()
    information_change_return(change=change, actor=admins["sme_haishu"], reason="名称变更请提供证明")
    submission.refresh_from_db()
    assert submission.status == S.RETURNED
    submission = changed(reports, enterprise, period, name="宁波海曙示范机械股份有限公司")
    assert submission.status == S.FROZEN and InformationChange.objects.count() == 2
