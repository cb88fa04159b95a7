"""退回通知: a returned report's filler gets one SMS with the period, the reason's first words and a link,
after the return commits; a refused return sends nothing (issue 21 §3)."""
import pytest
from django.urls import reverse

from accounts.models import SmsMessage
from reporting.enums import SubmissionStatus as S
from workflow import services as wf
from workflow.transitions import TransitionRefused

pytestmark = pytest.mark.django_db

REASON = "营业收入本年1-本月与上月累计不符，请核实第3行并说明原因后重新上报。"


def test_a_return_sends_one_sms_with_the_period_the_reason_and_a_link(reports, enterprise, period, admins,
                                                                        sms_outbox, django_capture_on_commit_callbacks,
                                                                        settings):
    settings.WAGTAILADMIN_BASE_URL = "https://sme.example.gov.cn/"
    submission = reports.submitted(enterprise, period)
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason=REASON)
    assert SmsMessage.objects.count() == before  # nothing before the commit
    for callback in pending:
        callback()
    sent = SmsMessage.objects.all()[before:]
    assert [m.mobile for m in sent] == [enterprise.filler.mobile]
    text = sent[0].text
    assert text.startswith("【中小企业运行监测】") and enterprise.name in text
    assert f"{period.year}年{period.month}月" in text and reports.report_type.title in text
    assert f"原因：{REASON[:20]}…。" in text and REASON[20:] not in text
    assert text.endswith("https://sme.example.gov.cn" + reverse("reporting:detail", args=[submission.pk]))


def test_a_short_reason_is_quoted_whole_and_each_bulk_return_tells_its_filler(reports, enterprise, period, admins,
                                                                              sms_outbox,
                                                                              django_capture_on_commit_callbacks):
    from enterprises.models import Enterprise

    other = Enterprise.objects.select_related("filler").get(filler__username="com_demo02")
    first, second = reports.submitted(enterprise, period), reports.submitted(other, period)
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = wf.submissions_return(actor=admins["sme_ningbo"], submission_ids=[first.pk, second.pk],
                                        reason="数据有误")
    assert len(outcome.moved) == 2
    sent = SmsMessage.objects.all()[before:]
    assert sorted(m.mobile for m in sent) == sorted([enterprise.filler.mobile, other.filler.mobile])
    assert all("原因：数据有误。" in m.text for m in sent)


def test_a_refused_return_sends_nothing(reports, enterprise, period, admins, sms_outbox,
                                        django_capture_on_commit_callbacks):
    submission = reports.submitted(enterprise, period)
    stale = type(submission).objects.get(pk=submission.pk)
    first = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="第一次退回")
    before = SmsMessage.objects.count()
    assert before == first + 1  # the return that was made told the filler
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(TransitionRefused):  # read while pending: the report changed meanwhile
            wf.submission_return(submission=stale, actor=admins["sme_ningbo"], reason="第二次退回")
        with pytest.raises(TransitionRefused):  # a returned report cannot be returned again
            wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="第二次退回")
    assert callbacks == [] and SmsMessage.objects.count() == before
    submission.refresh_from_db()
    assert (submission.status, submission.return_reason) == (S.RETURNED, "第一次退回")


def test_a_refused_information_change_tells_the_filler_too(reports, enterprise, period, admins, sms_outbox,
                                                           django_capture_on_commit_callbacks):
    """企业信息变更退回 sends the frozen report back to the enterprise: the same SMS with its reason."""
    from reporting.models import InformationChange
    from reporting.services.changes import information_change_return

    answers = reports.answers(enterprise, period)
    answers["name"] = "宁波海曙示范机械股份有限公司"
    submission = reports.save(enterprise, period, answers=answers)
    assert submission.status == S.FROZEN
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        information_change_return(change=InformationChange.objects.get(), actor=admins["sme_haishu"],
                                  reason="名称变更请提供工商变更证明")
    sent = SmsMessage.objects.all()[before:]
    assert [m.mobile for m in sent] == [enterprise.filler.mobile]
    assert "已被退回，原因：名称变更请提供工商变更证明。" in sent[0].text
