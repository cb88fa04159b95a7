"""一键接收 and 越级接收: what moves, what stays and why, the flags, the limit, the audit trail."""
import pytest
from django.core.exceptions import PermissionDenied

from reporting.periods import month_add
from workflow import services as wf
from workflow.enums import Action
from reporting.enums import Screening, SubmissionStatus as S
from workflow.models import ReviewEvent
from workflow.transitions import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def others():
    from enterprises.models import Enterprise

    return {e.filler.username: e for e in Enterprise.objects.select_related("filler")}


def holders(*submissions):
    out = []
    for s in submissions:
        s.refresh_from_db()
        out.append(s.holder.user.username if s.holder else s.status)
    return out


# -- 一键接收 ----------------------------------------------------------------------------------

def test_receive_all_moves_every_report_held_by_the_actor(reports, enterprise, period, admins, others):
    mine = [reports.submitted(enterprise, month_add(period, -n)) for n in range(3)]
    not_mine = reports.submitted(others["com_demo02"], period)  # held by sme_ningbo
    outcome = wf.submissions_receive_all(actor=admins["sme_haishu"])
    assert sorted(s.pk for s in outcome.moved) == sorted(s.pk for s in mine)
    assert outcome.refused == [] and outcome.remaining == 0
    assert holders(*mine) == ["sme_ningbo"] * 3
    assert holders(not_mine) == ["sme_ningbo"]
    assert ReviewEvent.objects.filter(action=Action.RECEIVE, actor=admins["sme_haishu"]).count() == 3


def test_receive_all_at_the_top_approves(reports, enterprise, period, admins):
    submission = reports.submitted(enterprise, period)
    for name in ("sme_haishu", "sme_ningbo", "sme_zhejiang"):
        wf.submission_receive(submission=submission, actor=admins[name])
    outcome = wf.submissions_receive_all(actor=admins["sme_admin"])
    assert [s.status for s in outcome.moved] == [S.APPROVED]


def test_receive_all_takes_at_most_the_limit(reports, enterprise, period, admins):
    for n in range(3):
        reports.submitted(enterprise, month_add(period, -n))
    outcome = wf.submissions_receive_all(actor=admins["sme_haishu"], limit=2)
    assert len(outcome.moved) == 2 and outcome.remaining == 1
    assert wf.BULK_LIMIT == 200


def test_receive_all_needs_the_flag(reports, enterprise, period, demo_core, admins):
    reports.submitted(enterprise, period)
    profile = demo_core["sme_haishu"]
    profile.can_one_click = False
    profile.save(update_fields=["can_one_click"])
    with pytest.raises(PermissionDenied):
        wf.submissions_receive_all(actor=admins["sme_haishu"])


def test_receive_all_needs_an_administrator(reports, enterprise, period, filler):
    reports.submitted(enterprise, period)
    with pytest.raises(PermissionDenied):
        wf.submissions_receive_all(actor=filler)


def test_receive_all_reports_what_did_not_move_and_why(reports, enterprise, period, admins, monkeypatch):
    first, second = (reports.submitted(enterprise, month_add(period, -n)) for n in (1, 0))
    real = wf.submission_receive

    def flaky(*, submission, actor):
        if submission.pk == second.pk:
            raise TransitionRefused("withdrawn meanwhile")
        return real(submission=submission, actor=actor)

    monkeypatch.setattr(wf, "submission_receive", flaky)
    outcome = wf.submissions_receive_all(actor=admins["sme_haishu"])
    assert [s.pk for s in outcome.moved] == [first.pk]
    assert [(s.pk, why) for s, why in outcome.refused] == [(second.pk, "withdrawn meanwhile")]
    assert holders(first, second) == ["sme_ningbo", "sme_haishu"]


# -- 越级接收 ----------------------------------------------------------------------------------

def test_skip_receive_approves_what_passed_screening_and_leaves_anomalies(reports, enterprise, period, admins, others):
    reports.approved(enterprise, month_add(period, -1))
    anomalous = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True))
    assert anomalous.screening == Screening.ANOMALOUS
    passed = reports.submitted(others["com_demo02"], period)
    hangzhou = reports.submitted(others["com_demo03"], period)
    outcome = wf.submissions_skip_receive(actor=admins["sme_zhejiang"])
    assert sorted(s.pk for s in outcome.moved) == sorted([passed.pk, hangzhou.pk])
    assert [s.pk for s, _why in outcome.refused] == [anomalous.pk]
    assert holders(passed, hangzhou, anomalous) == [S.APPROVED, S.APPROVED, "sme_haishu"]
    event = ReviewEvent.objects.get(submission=passed, action=Action.SKIP_RECEIVE)
    assert (event.actor, event.from_status, event.to_status, event.to_holder) == (
        admins["sme_zhejiang"], S.PENDING, S.APPROVED, None)


def test_skip_receive_can_be_limited_to_a_month(reports, enterprise, period, admins):
    old = reports.submitted(enterprise, month_add(period, -1))
    new = reports.submitted(enterprise, period)
    outcome = wf.submissions_skip_receive(actor=admins["sme_zhejiang"], period=period)
    assert [s.pk for s in outcome.moved] == [new.pk]
    assert holders(old) == ["sme_haishu"]


def test_skip_receive_needs_the_flag(reports, enterprise, period, admins):
    reports.submitted(enterprise, period)
    for name in ("sme_ningbo", "sme_haishu", "sme_admin"):
        with pytest.raises(PermissionDenied):
            wf.submissions_skip_receive(actor=admins[name])


def test_skip_receive_stays_in_the_region(reports, period, admins, demo_core, others):
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    jiangsu = administrator_create(actor=admins["sme_admin"], parent=demo_core["sme_admin"], username="sme_jiangsu",
                                   password="Demo@2026sme", mobile="13900000021",
                                   region=region_by_code("320000", level=1), can_review_report=True,
                                   can_skip_level=True)
    submission = reports.submitted(others["com_demo02"], period)
    outcome = wf.submissions_skip_receive(actor=jiangsu.user)
    assert outcome.moved == [] and outcome.refused == []
    assert holders(submission) == ["sme_ningbo"]
