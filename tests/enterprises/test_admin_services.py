"""监测企业信息管理 services: disable / enable / delete, batch disable, batch change of direct reviewer
(with the pending reports moving through workflow.services.submissions_reassign); allowed and refused."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from enterprises.enums import EnterpriseAction, RegistrationStatus
from enterprises.models import Enterprise, EnterpriseEvent
from enterprises.selectors import enterprises_for_management, reviewer_choices
from enterprises.services import (
    enterprise_delete, enterprise_disable, enterprise_enable, enterprises_disable, enterprises_reviewer_change,
)
from reporting.periods import month_add
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from workflow.enums import Action
from reporting.enums import SubmissionStatus as S
from workflow.models import ReviewEvent
from workflow.services import submission_receive, submissions_reassign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def demo_enterprises(demo_core):
    """{login of the filler: Enterprise}: com_demo01 海曙, com_demo02 江北, com_demo03 杭州西湖."""
    return {e.filler.username: e for e in Enterprise.objects.select_related("filler", "region")}


@pytest.fixture
def other_province(admins, demo_core):
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    return administrator_create(actor=admins["sme_admin"], parent=demo_core["sme_admin"], username="sme_jiangsu",
                                password="Demo@2026sme", mobile="13900000021", region=region_by_code("320000", level=1),
                                can_review_report=True, can_review_registration=True).user


def events(enterprise, action):
    return list(EnterpriseEvent.objects.filter(enterprise_name=enterprise.name, action=action))


# -- selectors ------------------------------------------------------------------------------------

def test_management_list_is_the_approved_enterprises_of_the_scope(admins, demo_enterprises, other_province):
    haishu, jiangbei, xihu = (demo_enterprises[k] for k in ("com_demo01", "com_demo02", "com_demo03"))
    assert set(enterprises_for_management(admins["sme_admin"])) == {haishu, jiangbei, xihu}
    assert set(enterprises_for_management(admins["sme_zhejiang"])) == {haishu, jiangbei, xihu}
    assert set(enterprises_for_management(admins["sme_ningbo"])) == {haishu, jiangbei}
    assert set(enterprises_for_management(admins["sme_haishu"])) == {haishu}
    assert not enterprises_for_management(other_province).exists()
    assert not enterprises_for_management(haishu.filler).exists()


def test_pending_registrations_are_not_managed_here(demo, admins):
    pending = Enterprise.objects.get(user__username="com_demo04")
    assert pending.status == RegistrationStatus.PENDING
    assert pending not in enterprises_for_management(admins["sme_admin"])
    with pytest.raises(ValidationError):
        enterprise_disable(enterprise=pending, actor=admins["sme_admin"])


def test_reviewer_choices_are_the_report_reviewers_of_the_subtree(admins, demo_core):
    assert [p.user.username for p in reviewer_choices(admins["sme_ningbo"])] == ["sme_ningbo", "sme_haishu"]
    assert len(reviewer_choices(admins["sme_admin"])) == 4


# -- disable / enable -------------------------------------------------------------------------------

def test_disable_and_enable_record_events(admins, demo_enterprises):
    haishu = demo_enterprises["com_demo01"]
    enterprise_disable(enterprise=haishu, actor=admins["sme_haishu"])
    haishu.refresh_from_db()
    assert haishu.is_disabled
    event = EnterpriseEvent.objects.get(enterprise=haishu, action=EnterpriseAction.ENTERPRISE_DISABLE)
    assert (event.actor, event.from_status, event.to_status) == (admins["sme_haishu"], "enabled", "disabled")
    with pytest.raises(ValidationError):
        enterprise_disable(enterprise=haishu, actor=admins["sme_haishu"])
    enterprise_enable(enterprise=haishu, actor=admins["sme_ningbo"])
    haishu.refresh_from_db()
    assert not haishu.is_disabled
    assert EnterpriseEvent.objects.filter(enterprise=haishu, action=EnterpriseAction.ENTERPRISE_ENABLE).count() == 1
    with pytest.raises(ValidationError):
        enterprise_enable(enterprise=haishu, actor=admins["sme_haishu"])


@pytest.mark.parametrize("login", ["sme_haishu", "other", "com_demo01"])
def test_disable_refused_outside_the_region_or_to_non_administrators(admins, demo_enterprises, other_province, login):
    jiangbei = demo_enterprises["com_demo02"]
    actor = {"sme_haishu": admins["sme_haishu"], "other": other_province,
             "com_demo01": demo_enterprises["com_demo01"].filler}[login]
    with pytest.raises(PermissionDenied):
        enterprise_disable(enterprise=jiangbei, actor=actor)
    jiangbei.refresh_from_db()
    assert not jiangbei.is_disabled and not events(jiangbei, EnterpriseAction.ENTERPRISE_DISABLE)


def test_enable_refused_outside_the_region(admins, demo_enterprises):
    jiangbei = demo_enterprises["com_demo02"]
    enterprise_disable(enterprise=jiangbei, actor=admins["sme_ningbo"])
    with pytest.raises(PermissionDenied):
        enterprise_enable(enterprise=jiangbei, actor=admins["sme_haishu"])
    jiangbei.refresh_from_db()
    assert jiangbei.is_disabled


def test_a_disabled_enterprise_cannot_fill(admins, demo_enterprises):
    from enterprises.selectors import enterprise_can_fill

    haishu = demo_enterprises["com_demo01"]
    enterprise_disable(enterprise=haishu, actor=admins["sme_haishu"])
    haishu.refresh_from_db()
    assert not enterprise_can_fill(haishu.filler, haishu)


def test_batch_disable_is_all_or_nothing(admins, demo_enterprises):
    haishu, jiangbei, xihu = (demo_enterprises[k] for k in ("com_demo01", "com_demo02", "com_demo03"))
    enterprise_disable(enterprise=haishu, actor=admins["sme_haishu"])
    with pytest.raises(PermissionDenied, match="杭州|西湖"):
        enterprises_disable(enterprises=[jiangbei, xihu], actor=admins["sme_ningbo"])
    assert not Enterprise.objects.filter(pk__in=[jiangbei.pk, xihu.pk], is_disabled=True).exists()
    disabled = enterprises_disable(enterprises=[haishu, jiangbei], actor=admins["sme_ningbo"])
    assert disabled == [jiangbei]  # 海曙 was disabled already
    assert Enterprise.objects.filter(pk__in=[haishu.pk, jiangbei.pk], is_disabled=True).count() == 2
    assert len(events(jiangbei, EnterpriseAction.ENTERPRISE_DISABLE)) == 1


# -- delete ------------------------------------------------------------------------------------------

def test_delete_only_a_disabled_enterprise_without_reports(admins, demo_enterprises):
    jiangbei = demo_enterprises["com_demo02"]
    with pytest.raises(ValidationError) as refused:
        enterprise_delete(enterprise=jiangbei, actor=admins["sme_ningbo"])
    assert refused.value.code == "enabled"
    enterprise_disable(enterprise=jiangbei, actor=admins["sme_ningbo"])
    with pytest.raises(PermissionDenied):
        enterprise_delete(enterprise=jiangbei, actor=admins["sme_haishu"])
    enterprise_delete(enterprise=jiangbei, actor=admins["sme_ningbo"])
    assert not Enterprise.objects.filter(pk=jiangbei.pk).exists()
    event = EnterpriseEvent.objects.get(enterprise_name=jiangbei.name, action=EnterpriseAction.ENTERPRISE_DELETE)
    assert event.enterprise is None and event.actor == admins["sme_ningbo"]
    assert jiangbei.user.__class__.objects.filter(pk=jiangbei.user_id).exists()  # the account stays


def test_an_enterprise_with_reports_stays_disabled(admins, enterprise, reports, period):
    reports.save(enterprise, period)
    enterprise_disable(enterprise=enterprise, actor=admins["sme_haishu"])
    with pytest.raises(ValidationError, match="1 期报表|1 report") as refused:
        enterprise_delete(enterprise=enterprise, actor=admins["sme_haishu"])
    assert refused.value.code == "kept"
    assert "停用" in refused.value.messages[0]
    enterprise.refresh_from_db()
    assert enterprise.is_disabled
    assert not events(enterprise, EnterpriseAction.ENTERPRISE_DELETE)


def test_an_enterprise_with_questionnaire_answers_stays_disabled(admins, enterprise, reports, period):
    reports.answer_questionnaire(enterprise, period)
    enterprise_disable(enterprise=enterprise, actor=admins["sme_haishu"])
    with pytest.raises(ValidationError) as refused:
        enterprise_delete(enterprise=enterprise, actor=admins["sme_haishu"])
    assert refused.value.code == "kept" and "问卷" in refused.value.messages[0]
    assert Enterprise.objects.filter(pk=enterprise.pk, is_disabled=True).exists()


# -- batch change of direct reviewer --------------------------------------------------------------

def test_reviewer_change_moves_the_pending_reports_held_by_the_previous_reviewer(admins, demo_core, enterprise,
                                                                               reports, period):
    held = reports.submitted(enterprise, period)  # held by sme_haishu, the direct reviewer
    passed_up = reports.submitted(enterprise, month_add(period, -1))
    passed_up = submission_receive(submission=passed_up, actor=admins["sme_haishu"])  # now held by sme_ningbo
    assert (held.holder, passed_up.holder) == (demo_core["sme_haishu"], demo_core["sme_ningbo"])

    changed = enterprises_reviewer_change(enterprises=[enterprise], to_reviewer=demo_core["sme_ningbo"],
                                          actor=admins["sme_ningbo"])
    assert changed == [enterprise]
    enterprise.refresh_from_db()
    held.refresh_from_db()
    assert enterprise.direct_reviewer == demo_core["sme_ningbo"]
    assert (held.status, held.holder) == (S.PENDING, demo_core["sme_ningbo"])
    event = ReviewEvent.objects.get(submission=held, action=Action.REASSIGN)
    assert (event.from_holder, event.to_holder, event.actor, event.from_status, event.to_status) == (
        demo_core["sme_haishu"], demo_core["sme_ningbo"], admins["sme_ningbo"], S.PENDING, S.PENDING)
    assert not ReviewEvent.objects.filter(submission=passed_up, action=Action.REASSIGN).exists()
    audit = EnterpriseEvent.objects.get(enterprise=enterprise, action=EnterpriseAction.REVIEWER_CHANGE)
    assert audit.reason == "sme_haishu → sme_ningbo" and audit.actor == admins["sme_ningbo"]


def test_reviewer_change_refuses_a_reviewer_whose_region_misses_an_enterprise(admins, demo_core, demo_enterprises):
    haishu, jiangbei = demo_enterprises["com_demo01"], demo_enterprises["com_demo02"]
    with pytest.raises(ValidationError) as refused:
        enterprises_reviewer_change(enterprises=[haishu, jiangbei], to_reviewer=demo_core["sme_haishu"],
                                    actor=admins["sme_ningbo"])
    assert jiangbei.name in refused.value.messages[0]
    assert Enterprise.objects.get(pk=haishu.pk).direct_reviewer == demo_core["sme_haishu"]
    assert Enterprise.objects.get(pk=jiangbei.pk).direct_reviewer == demo_core["sme_ningbo"]
    assert not EnterpriseEvent.objects.filter(action=EnterpriseAction.REVIEWER_CHANGE).exists()


def test_reviewer_change_refused_outside_the_scope(admins, demo_core, demo_enterprises, other_province):
    haishu, xihu = demo_enterprises["com_demo01"], demo_enterprises["com_demo03"]
    with pytest.raises(PermissionDenied):  # 西湖 is outside 宁波
        enterprises_reviewer_change(enterprises=[haishu, xihu], to_reviewer=demo_core["sme_ningbo"],
                                    actor=admins["sme_ningbo"])
    with pytest.raises(PermissionDenied):  # the province is not one of sme_ningbo's administrators
        enterprises_reviewer_change(enterprises=[haishu], to_reviewer=demo_core["sme_zhejiang"],
                                    actor=admins["sme_ningbo"])
    with pytest.raises(PermissionDenied):
        enterprises_reviewer_change(enterprises=[haishu], to_reviewer=demo_core["sme_haishu"], actor=other_province)
    with pytest.raises(PermissionDenied):
        enterprises_reviewer_change(enterprises=[haishu], to_reviewer=demo_core["sme_haishu"], actor=haishu.filler)
    assert not EnterpriseEvent.objects.filter(action=EnterpriseAction.REVIEWER_CHANGE).exists()


def test_reviewer_change_refuses_an_administrator_without_report_review(admins, demo_core, demo_enterprises):
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    flagless = administrator_create(actor=admins["sme_ningbo"], parent=demo_core["sme_ningbo"], username="nb_noreview",
                                    password="Demo@2026sme", mobile="13900000031", region=region_by_code("330203", level=3))
    with pytest.raises(ValidationError):
        enterprises_reviewer_change(enterprises=[demo_enterprises["com_demo01"]], to_reviewer=flagless,
                                    actor=admins["sme_ningbo"])


def test_reviewer_change_to_the_same_reviewer_changes_nothing(admins, demo_core, demo_enterprises):
    haishu = demo_enterprises["com_demo01"]
    assert enterprises_reviewer_change(enterprises=[haishu], to_reviewer=demo_core["sme_haishu"],
                                       actor=admins["sme_haishu"]) == []
    assert not EnterpriseEvent.objects.filter(action=EnterpriseAction.REVIEWER_CHANGE).exists()


def test_the_national_administrator_may_review_every_enterprise(admins, demo_core, demo_enterprises):
    chosen = list(demo_enterprises.values())
    changed = enterprises_reviewer_change(enterprises=chosen, to_reviewer=demo_core["sme_admin"],
                                          actor=admins["sme_admin"])
    assert len(changed) == 3
    assert set(Enterprise.objects.values_list("direct_reviewer__user__username", flat=True)) == {"sme_admin"}


# -- submissions_reassign on its own ---------------------------------------------------------------

def test_submissions_reassign_checks_the_actor_and_the_new_holder(admins, demo_core, enterprise, reports, period,
                                                                 other_province):
    held = reports.submitted(enterprise, period)
    with pytest.raises(PermissionDenied):
        submissions_reassign(enterprise=enterprise, to_holder=demo_core["sme_ningbo"], actor=other_province)
    with pytest.raises(PermissionDenied):
        submissions_reassign(enterprise=enterprise, to_holder=demo_core["sme_zhejiang"], actor=admins["sme_ningbo"])
    with pytest.raises(PermissionDenied):
        submissions_reassign(enterprise=enterprise, to_holder=demo_core["sme_ningbo"], actor=enterprise.filler)
    held.refresh_from_db()
    assert held.holder == demo_core["sme_haishu"]
    moved = submissions_reassign(enterprise=enterprise, to_holder=demo_core["sme_ningbo"], actor=admins["sme_zhejiang"])
    assert [s.pk for s in moved] == [held.pk]
    # the enterprise still names sme_haishu (the caller changes it): a second call finds nothing more to move
    assert submissions_reassign(enterprise=enterprise, to_holder=demo_core["sme_ningbo"], actor=admins["sme_zhejiang"]) == []
