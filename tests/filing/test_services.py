"""Tasks, applications, and a task's report: save, submit with severe warnings explained one by one,
取消上报, and the level reached at each step of the review."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from filing import services as svc
from filing.enums import ApplicationStatus, TaskStatus
from filing.selectors import filing_task_get_for_enterprise
from workflow import services as wf
from reporting.enums import SubmissionStatus as S
from workflow.transitions import TransitionRefused

from .conftest import make_enterprise, software_answers

pytestmark = pytest.mark.django_db
SEVERE_ANSWERS = dict(profit=600.0, main_revenue=4000.0)  # margin 57 % and software share 26 %: two severe warnings
SEVERE_CODES = {"profit_margin_near_national", "software_share_for_statistics"}


# -- tasks -----------------------------------------------------------------------------------------

def test_tasks_are_issued_inside_the_scope_with_clear_errors(software_type, admins, period):
    from regions.selectors import region_by_code

    zhejiang, jiangsu = region_by_code("330000", level=1), region_by_code("320000", level=1)
    base = dict(title="任务", report_type=software_type, period=period, due_date=datetime.date(2026, 4, 20))
    with pytest.raises(ValidationError) as exc:
        svc.filing_task_create(actor=admins["sme_ningbo"], issuing_region=zhejiang, **base)
    assert exc.value.message_dict["issuing_region"] == ["该地区不在您的管辖范围内。"]
    with pytest.raises(ValidationError) as exc:
        svc.filing_task_create(actor=admins["sme_zhejiang"], issuing_region=region_by_code("330203", level=3),
                               **{**base, "period": datetime.date(2026, 3, 5)}, industry_prefix="X99",
                               fill_region=jiangsu)
    assert set(exc.value.message_dict) == {"issuing_region", "period", "industry_prefix", "fill_region"}
    with pytest.raises(ValidationError) as exc:
        svc.filing_task_create(actor=admins["sme_zhejiang"], issuing_region=zhejiang, fill_region=jiangsu, **base)
    assert set(exc.value.message_dict) == {"fill_region"}
    with pytest.raises(PermissionDenied):
        svc.filing_task_create(actor=admins["sme_haishu"], issuing_region=zhejiang, **base)
    task = svc.filing_task_create(actor=admins["sme_zhejiang"], issuing_region=zhejiang, industry_prefix="i65", **base)
    assert (task.status, task.level, task.industry_prefix, task.created_by) == ("draft", "provincial", "I65", admins["sme_zhejiang"])


def test_open_close_and_reopen_follow_the_table(task_factory, admins):
    task = task_factory(open_it=False)
    with pytest.raises(svc.FilingRefused):
        svc.filing_task_close(task=task, actor=admins["sme_zhejiang"])
    with pytest.raises(PermissionDenied):  # a city does not manage the province's task
        svc.filing_task_open(task=task, actor=admins["sme_ningbo"])
    assert svc.filing_task_open(task=task, actor=admins["sme_zhejiang"]).status == TaskStatus.OPEN
    assert svc.filing_task_close(task=task, actor=admins["sme_admin"]).status == TaskStatus.CLOSED
    assert svc.filing_task_open(task=task, actor=admins["sme_zhejiang"]).status == TaskStatus.OPEN


def test_an_opened_task_keeps_its_report_and_period(task_factory, admins, software_type):
    task = task_factory()
    fields = dict(title="改名", report_type=software_type, period=datetime.date(2026, 2, 1), issuing_region=task.issuing_region,
                  due_date=task.due_date, industry_prefix="I65")
    with pytest.raises(ValidationError):
        svc.filing_task_update(task=task, actor=admins["sme_zhejiang"], **fields)
    fields["period"] = task.period
    assert svc.filing_task_update(task=task, actor=admins["sme_zhejiang"], **fields).title == "改名"


# -- applications ----------------------------------------------------------------------------------

def test_application_rules(task_factory, soft, admins):
    from enterprises.models import Enterprise

    direct = task_factory(title="直接任务")
    provincial = task_factory(title="省级申请", requires_application=True)
    municipal = task_factory("sme_ningbo", title="市级申请", requires_application=True)
    machine = Enterprise.objects.get(filler__username="com_demo01")
    with pytest.raises(svc.FilingRefused, match="不接受申请"):
        svc.filing_application_create(task=direct, enterprise=soft, actor=soft.filler)
    with pytest.raises(svc.FilingRefused, match="所在地区或行业"):
        svc.filing_application_create(task=provincial, enterprise=machine, actor=machine.filler)
    with pytest.raises(PermissionDenied):
        svc.filing_application_create(task=provincial, enterprise=soft, actor=machine.filler)
    application = svc.filing_application_create(task=provincial, enterprise=soft, actor=soft.filler)
    with pytest.raises(svc.FilingRefused, match="已申请"):
        svc.filing_application_create(task=provincial, enterprise=soft, actor=soft.filler)
    with pytest.raises(svc.FilingRefused, match="申请一个级别即可"):
        svc.filing_application_create(task=municipal, enterprise=soft, actor=soft.filler)
    with pytest.raises(PermissionDenied):  # sme_ningbo does not manage the province's task
        svc.filing_application_accept(application=application, actor=admins["sme_ningbo"])
    with pytest.raises(svc.FilingRefused):
        svc.filing_application_reject(application=application, actor=admins["sme_zhejiang"], reason=" ")
    rejected = svc.filing_application_reject(application=application, actor=admins["sme_zhejiang"], reason="非软件企业")
    assert (rejected.status, rejected.reason, rejected.decided_by) == (ApplicationStatus.REJECTED, "非软件企业", admins["sme_zhejiang"])
    with pytest.raises(svc.FilingRefused, match="已处理"):
        svc.filing_application_accept(application=application, actor=admins["sme_zhejiang"])
    other = svc.filing_application_create(task=municipal, enterprise=soft, actor=soft.filler)  # the other level, now
    assert svc.filing_application_accept(application=other, actor=admins["sme_ningbo"]).status == ApplicationStatus.ACCEPTED
    with pytest.raises(svc.FilingRefused, match="申请一个级别即可"):  # the municipal one is accepted now
        svc.filing_application_create(task=provincial, enterprise=soft, actor=soft.filler)
    svc.filing_task_close(task=provincial, actor=admins["sme_zhejiang"])
    with pytest.raises(svc.FilingRefused):
        svc.filing_application_create(task=provincial, enterprise=soft, actor=soft.filler)


# -- the report of a task --------------------------------------------------------------------------

def test_save_only_while_the_task_is_open_and_only_for_its_enterprises(task_factory, soft, admins):
    from enterprises.models import Enterprise

    task = task_factory()
    machine = Enterprise.objects.get(filler__username="com_demo01")
    with pytest.raises(PermissionDenied):
        svc.filing_report_save(task=task, enterprise=machine, answers=software_answers(), actor=machine.filler)
    submission = svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    assert (submission.report_type, submission.period, submission.status) == (task.report_type, task.period, S.EDITING)
    svc.filing_task_close(task=task, actor=admins["sme_zhejiang"])
    with pytest.raises(svc.FilingRefused, match="已结束"):
        svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)


def test_severe_warnings_block_submit_until_each_is_explained(task_factory, soft):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(**SEVERE_ANSWERS), actor=soft.filler)
    assert {i["code"] for i in svc.filing_report_issues(task=task, enterprise=soft)} == SEVERE_CODES
    with pytest.raises(svc.FilingRefused) as exc:
        svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    assert {i["code"] for i in exc.value.unexplained} == SEVERE_CODES
    assert exc.value.messages == ["每条严重警告都须填写审核说明后才能上报。"]
    with pytest.raises(svc.FilingRefused) as exc:  # one of two explained, the other blank
        svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler,
                                 explanations={"profit_margin_near_national": "本月确认大额项目收入", "software_share_for_statistics": "  "})
    assert [i["code"] for i in exc.value.unexplained] == ["software_share_for_statistics"]
    assert filing_task_get_for_enterprise(enterprise=soft, pk=task.pk).submission.status == S.EDITING
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler, explanations={
        "profit_margin_near_national": "本月确认大额项目收入", "software_share_for_statistics": "硬件集成收入占比高"})
    assert submission.status == S.PENDING and submission.screening == "anomalous"
    assert {i["code"]: i["explanation"] for i in submission.issues} == {
        "profit_margin_near_national": "本月确认大额项目收入", "software_share_for_statistics": "硬件集成收入占比高"}
    assert "本月确认大额项目收入" in submission.explanation and "硬件集成收入占比高" in submission.explanation


def test_blocking_errors_refuse_save_and_submit(task_factory, soft):
    from reporting.models import Submission

    task = task_factory()
    with pytest.raises(svc.FilingRefused):  # nothing saved yet
        svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    answers = software_answers()
    answers["rev"]["total"]["month"] = 999.0
    with pytest.raises(svc.FilingRefused, match="软件业务收入合计（本月）应等于"):
        svc.filing_report_save(task=task, enterprise=soft, answers=answers, actor=soft.filler)
    assert not Submission.objects.filter(enterprise=soft).exists()
    saved = svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    Submission.objects.filter(pk=saved.pk).update(answers=answers)  # e.g. the definition's rules got stricter
    with pytest.raises(svc.FilingRefused, match="软件业务收入合计"):
        svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)


def test_a_clean_report_submits_without_explanations_and_twice_is_a_no_op(task_factory, soft):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    first = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    again = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    assert first.status == again.status == S.PENDING and first.screening == "passed"
    assert first.events.filter(action="workflow.submit").count() == 1


def test_cancel_while_open_and_before_a_reviewer_acts(task_factory, soft, admins):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    with pytest.raises(svc.FilingRefused):  # not submitted
        svc.filing_report_cancel(task=task, enterprise=soft, actor=soft.filler)
    svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    assert svc.filing_report_cancel(task=task, enterprise=soft, actor=soft.filler).status == S.EDITING
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    wf.submission_receive(submission=submission, actor=admins["sme_haishu"])
    assert not filing_task_get_for_enterprise(enterprise=soft, pk=task.pk, actor=soft.filler).can_cancel
    with pytest.raises(TransitionRefused):
        svc.filing_report_cancel(task=task, enterprise=soft, actor=soft.filler)


def test_no_cancel_once_the_task_is_closed(task_factory, soft, admins):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    assert filing_task_get_for_enterprise(enterprise=soft, pk=task.pk, actor=soft.filler).can_cancel
    other = make_enterprise("com_soft_x", "宁波另一软件有限公司")
    # 取消上报 is offered exactly to whom the workflow's 撤销 accepts (workflow.actions): not another
    # enterprise's filler, not an administrator.
    assert not filing_task_get_for_enterprise(enterprise=soft, pk=task.pk, actor=other.filler).can_cancel
    assert not filing_task_get_for_enterprise(enterprise=soft, pk=task.pk, actor=admins["sme_haishu"]).can_cancel
    with pytest.raises(PermissionDenied):  # another enterprise's filler
        svc.filing_report_cancel(task=task, enterprise=soft, actor=other.filler)
    svc.filing_task_close(task=task, actor=admins["sme_zhejiang"])
    with pytest.raises(svc.FilingRefused, match="已结束"):
        svc.filing_report_cancel(task=task, enterprise=soft, actor=soft.filler)


def test_the_level_reached_at_each_step_of_the_review(task_factory, soft, admins):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)

    def label():
        return filing_task_get_for_enterprise(enterprise=soft, pk=task.pk).status_label

    assert label() == "已上报至县级"
    # A provincial task's review ends at the province: its receipt approves the report.
    for holder, after in (("sme_haishu", "已上报至市级"), ("sme_ningbo", "已上报至省级"),
                          ("sme_zhejiang", "审核通过")):
        submission = wf.submission_receive(submission=submission, actor=admins[holder])
        assert label() == after, holder
    assert submission.holder is None and submission.approved_at is not None


def test_a_municipal_task_is_approved_by_the_city(task_factory, soft, admins):
    task = task_factory("sme_ningbo")
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    submission = wf.submission_receive(submission=submission, actor=admins["sme_haishu"])
    assert filing_task_get_for_enterprise(enterprise=soft, pk=task.pk).status_label == "已上报至市级"
    submission = wf.submission_receive(submission=submission, actor=admins["sme_ningbo"])
    assert submission.status == S.APPROVED
    assert filing_task_get_for_enterprise(enterprise=soft, pk=task.pk).status_label == "审核通过"


def test_a_returned_report_can_be_filled_again(task_factory, soft, admins):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="请核实出口数据")
    row = filing_task_get_for_enterprise(enterprise=soft, pk=task.pk)
    assert row.status_label == "退回" and row.can_fill and row.can_submit
    assert svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler).status == S.PENDING


def test_a_rejected_application_can_be_renewed(task_factory, soft, admins):
    task = task_factory(requires_application=True)
    application = svc.filing_application_create(task=task, enterprise=soft, actor=soft.filler)
    svc.filing_application_reject(application=application, actor=admins["sme_zhejiang"], reason="材料不全")
    again = svc.filing_application_create(task=task, enterprise=soft, actor=soft.filler)
    assert (again.pk, again.status, again.reason, again.decided_by) == (application.pk, ApplicationStatus.PENDING, "", None)
