"""企业信息变更 review services (approve, return through the new transition) and the back-office
selectors: the review list, its scope, the administrator home's counts."""
import pytest
from django.core.exceptions import PermissionDenied

from reporting.enums import ChangeStatus
from reporting.periods import month_add
from reporting.services import changes
from workflow import selectors as sel
from workflow import services as wf
from workflow.enums import Action
from reporting.enums import SubmissionStatus as S
from workflow.models import ReviewEvent
from workflow.transitions import TRANSITIONS, TransitionRefused

pytestmark = pytest.mark.django_db

NEW_NAME = "宁波海曙示范机械股份有限公司"


@pytest.fixture
def frozen(reports, enterprise, period):
    answers = reports.answers(enterprise, period)
    answers["name"] = NEW_NAME
    submission = reports.save(enterprise, period, answers=answers)
    assert submission.status == S.FROZEN
    return submission


@pytest.fixture
def change(frozen):
    return frozen.changes.get()


def test_change_return_is_a_transition_of_the_table():
    assert TRANSITIONS[Action.CHANGE_RETURN] == (frozenset({S.FROZEN}), frozenset({S.RETURNED}))


# -- approve ---------------------------------------------------------------------------------

@pytest.mark.parametrize("reviewer", ["sme_haishu", "sme_ningbo", "sme_zhejiang", "sme_admin"])
def test_approve_updates_the_profile_and_unfreezes(change, frozen, enterprise, admins, reviewer):
    changes.information_change_approve(change=change, actor=admins[reviewer])
    enterprise.refresh_from_db(), change.refresh_from_db(), frozen.refresh_from_db()
    assert enterprise.name == NEW_NAME
    assert (change.status, change.resolved_by) == (ChangeStatus.APPROVED, admins[reviewer])
    assert frozen.status == S.UNFROZEN
    event = ReviewEvent.objects.filter(submission=frozen).last()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        Action.UNFREEZE, admins[reviewer], S.FROZEN, S.UNFROZEN)


def test_a_held_change_can_be_approved(change, admins, frozen):
    change.status = ChangeStatus.HELD
    change.save(update_fields=["status"])
    changes.information_change_approve(change=change, actor=admins["sme_haishu"])
    frozen.refresh_from_db()
    assert frozen.status == S.UNFROZEN


def test_inconsistent_values_cannot_be_approved(reports, enterprise, period):
    from accounts.models import User

    answers = reports.answers(enterprise, period)
    answers["name"] = "宁波江北示范软件有限公司"  # com_demo02's name
    submission = reports.save(enterprise, period, answers=answers)
    with pytest.raises(TransitionRefused):
        changes.information_change_approve(change=submission.changes.get(), actor=User.objects.get(username="sme_haishu"))
    submission.refresh_from_db()
    assert submission.status == S.FROZEN


@pytest.mark.parametrize("who", ["com_demo01", "com_demo02"])
def test_approve_refused_to_non_reviewers(change, who):
    from accounts.models import User

    with pytest.raises(PermissionDenied):
        changes.information_change_approve(change=change, actor=User.objects.get(username=who))


def test_approve_refused_outside_the_region(change, admins, demo_core):
    other = _jiangbei(admins, demo_core)
    with pytest.raises(PermissionDenied):
        changes.information_change_approve(change=change, actor=other.user)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_a_settled_change_cannot_be_decided_again(change, admins):
    changes.information_change_approve(change=change, actor=admins["sme_haishu"])
    with pytest.raises(TransitionRefused):
        changes.information_change_approve(change=change, actor=admins["sme_haishu"])
    with pytest.raises(TransitionRefused):
        changes.information_change_return(change=change, actor=admins["sme_haishu"], reason="x")


# -- return ----------------------------------------------------------------------------------

def test_return_sends_the_report_back_with_the_reason(change, frozen, enterprise, admins):
    changes.information_change_return(change=change, actor=admins["sme_ningbo"], reason="请提供工商变更材料。")
    change.refresh_from_db(), frozen.refresh_from_db(), enterprise.refresh_from_db()
    assert (change.status, change.reason) == (ChangeStatus.RETURNED, "请提供工商变更材料。")
    assert (frozen.status, frozen.return_reason) == (S.RETURNED, "请提供工商变更材料。")
    assert enterprise.name != NEW_NAME
    event = ReviewEvent.objects.filter(submission=frozen).last()
    assert (event.action, event.actor, event.from_status, event.to_status, event.reason) == (
        Action.CHANGE_RETURN, admins["sme_ningbo"], S.FROZEN, S.RETURNED, "请提供工商变更材料。")


def test_return_needs_a_reason(change, admins):
    for reason in ("", "   ", "x" * (wf.RETURN_REASON_MAX + 1)):
        with pytest.raises(TransitionRefused):
            changes.information_change_return(change=change, actor=admins["sme_haishu"], reason=reason)


def test_return_refused_outside_the_region_and_to_the_enterprise(change, admins, demo_core, filler):
    with pytest.raises(PermissionDenied):
        changes.information_change_return(change=change, actor=_jiangbei(admins, demo_core).user, reason="x")
    with pytest.raises(PermissionDenied):
        changes.information_change_return(change=change, actor=filler, reason="x")


def _jiangbei(admins, demo_core):
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    return administrator_create(actor=admins["sme_ningbo"], parent=demo_core["sme_ningbo"], username="sme_jiangbei",
                                password="Demo@2026sme", mobile="13900000011",
                                region=region_by_code("330205", level=3), can_review_report=True)


# -- selectors -------------------------------------------------------------------------------

def test_review_scope_refuses_non_reviewers(filler, admins, demo_core):
    from django.contrib.auth.models import AnonymousUser

    for user in (filler, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            sel.review_scope(user)
    profile = demo_core["sme_haishu"]
    profile.can_review_report = False
    profile.save(update_fields=["can_review_report"])
    with pytest.raises(PermissionDenied):
        sel.review_scope(admins["sme_haishu"])


def test_review_enterprises_is_scoped_and_derives_not_filled(reports, enterprise, period, report_type, admins):
    reports.submitted(enterprise, period)
    for name, expected in (("sme_admin", 3), ("sme_zhejiang", 3), ("sme_ningbo", 2), ("sme_haishu", 1)):
        scope = sel.review_scope(admins[name])
        qs = sel.review_enterprises(scope=scope, report_type=report_type, period=period)
        assert qs.count() == expected, name
    scope = sel.review_scope(admins["sme_admin"])
    rows = sel.review_rows(scope=scope, report_type=report_type, period=period,
                           enterprises=sel.review_enterprises(scope=scope, report_type=report_type, period=period))
    labels = {r.enterprise.name: r.status_label for r in rows}
    assert labels["宁波海曙示范机械有限公司"] == "待审核【sme_haishu】"
    assert labels["宁波江北示范软件有限公司"] == "未填报"


def test_disabled_and_unapproved_enterprises_are_not_listed(enterprise, period, report_type, admins):
    from enterprises.models import Enterprise

    Enterprise.objects.filter(pk=enterprise.pk).update(is_disabled=True)
    scope = sel.review_scope(admins["sme_haishu"])
    assert not sel.review_enterprises(scope=scope, report_type=report_type, period=period).exists()


def test_region_choices_follow_the_scope(admins):
    national = dict(sel.review_region_choices(sel.review_scope(admins["sme_admin"])))
    assert "33" in national and "3302" in national and "330203" not in national
    ningbo = dict(sel.review_region_choices(sel.review_scope(admins["sme_ningbo"])))
    assert "3302" in ningbo and "330203" in ningbo and "3301" not in ningbo


def test_home_summary_per_child_region(reports, enterprise, period, report_type, admins):
    from enterprises.models import Enterprise

    jiangbei = Enterprise.objects.get(filler__username="com_demo02")
    reports.approved(enterprise, period)
    submission = reports.submitted(jiangbei, period)
    wf.submission_return(submission=submission, actor=admins["sme_ningbo"], reason="请核实。")
    national = sel.home_summary(user=admins["sme_admin"], report_type=report_type, period=period)
    zhejiang = next(r for r in national.rows if r.code == "33")
    assert (zhejiang.name, zhejiang.registered, zhejiang.reported, zhejiang.approved, zhejiang.returned,
            zhejiang.not_filled, zhejiang.to_report) == ("浙江省", 3, 1, 1, 1, 1, 2)
    assert any(r.code == "32" and r.registered == 0 for r in national.rows)  # every province is listed
    ningbo = sel.home_summary(user=admins["sme_ningbo"], report_type=report_type, period=period)
    haishu = next(r for r in ningbo.rows if r.code == "330203")
    assert (haishu.registered, haishu.approved, haishu.approved_share) == (1, 1, 100)
    assert ningbo.total.registered == 2
    county = sel.home_summary(user=admins["sme_haishu"], report_type=report_type, period=month_add(period, -1))
    assert [(r.code, r.not_filled) for r in county.rows] == [("330203", 1)]
