"""Registration, review, association and filler services: every allowed and refused move."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import SmsMessage
from enterprises.enums import EnterpriseAction, RegistrationStatus as S
from enterprises.models import Enterprise, EnterpriseAssociation, EnterpriseEvent
from enterprises.selectors import (
    enterprise_can_fill, enterprise_registration_answers, enterprise_size_for_answers, enterprises_for_user,
    registrations_for_review,
)
from enterprises.services import (
    enterprise_associate, enterprise_filler_apply, enterprise_filler_handover, enterprise_register,
    enterprise_registration_approve, enterprise_registration_delete, enterprise_registration_return,
)
from regions.selectors import industry_by_full_code
from regions.services import SizeMeasures, enterprise_size_classify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# -- registration ---------------------------------------------------------------------------------

def test_register_creates_a_pending_enterprise_mapped_from_the_answers(register, make_user, demo):
    user = make_user(real_name="王五")
    enterprise = register(user=user, industry="C3435", region="330203", registration_type="173", holding_type="3")
    enterprise.refresh_from_db()
    assert enterprise.status == S.PENDING and enterprise.submitted_at is not None
    assert enterprise.user == user and enterprise.filler == user
    assert enterprise.industry.full_code == "C3435" and enterprise.region.code == "330203" and enterprise.region_code == "330203"
    assert enterprise.registration_type.code == "173" and enterprise.holding_type.code == "3"
    assert enterprise.direct_reviewer == demo["sme_haishu"]  # the lowest administrator containing 海曙区
    assert enterprise.revenue_last_year == Decimal("25000") and enterprise.employees_last_year == 60
    assert str(enterprise.opened_on) == "2018-05-20"
    assert not enterprise_can_fill(user, enterprise)  # only approved enterprises report
    event = EnterpriseEvent.objects.get(enterprise=enterprise)
    assert (event.action, event.from_status, event.to_status, event.actor) == (EnterpriseAction.REGISTRATION_SUBMIT, "", S.PENDING, user)


def test_direct_reviewer_is_the_city_when_the_county_has_no_administrator(register, demo):
    assert register(region="330212").direct_reviewer == demo["sme_ningbo"]  # 鄞州区: no county administrator


def test_duplicate_name_is_refused_with_the_spec_message_and_nothing_saved(register, make_user, answers):
    first = register()
    user = make_user()
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(name=first.name), actor=user)
    assert errors_of(exc) == {"name": ["企业名称已存在"]}
    assert Enterprise.objects.count() == before and not EnterpriseEvent.objects.filter(actor=user).exists()


def test_duplicate_credit_code_is_refused_with_the_spec_message(register, make_user, answers):
    first = register()
    user = make_user()
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(credit_code=first.credit_code), actor=user)
    assert errors_of(exc) == {"credit_code": ["组织机构代码已存在"]}


def test_both_duplicates_are_reported_together(register, make_user, answers):
    first = register()
    user = make_user()
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(name=first.name, credit_code=first.credit_code), actor=user)
    assert set(errors_of(exc)) == {"name", "credit_code"}


def test_one_account_registers_one_enterprise(register, make_user, answers, admin_user):
    user = make_user()
    enterprise = register(user=user)
    with pytest.raises(ValidationError) as exc:  # pending: wait for the review
        enterprise_register(user=user, answers=answers(), actor=user)
    assert "等待审核" in exc.value.messages[0]
    enterprise_registration_approve(enterprise=enterprise, actor=admin_user("sme_haishu"))
    with pytest.raises(ValidationError) as exc:  # approved: never a second enterprise
        enterprise_register(user=user, answers=answers(), actor=user)
    assert "一个注册手机只能注册一家企业" in exc.value.messages[0]
    assert Enterprise.objects.filter(user=user).count() == 1


def test_registering_for_someone_else_or_as_administrator_is_refused(make_user, answers, admin_user, demo):
    user, other = make_user(), make_user()
    with pytest.raises(PermissionDenied):
        enterprise_register(user=user, answers=answers(), actor=other)
    admin = admin_user("sme_haishu")
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=admin, answers=answers(), actor=admin)
    assert "只有企业用户" in exc.value.messages[0]


def test_definition_rules_are_checked_by_the_service(make_user, answers, demo):
    user = make_user()
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(phone=None, mobile=None), actor=user)
    assert errors_of(exc)["phone"] == ["电话和手机至少填写一项"]
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(website="www.example.com"), actor=user)
    assert "website" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(is_listed=True), actor=user)  # stock code required when listed
    assert "stock_code" in errors_of(exc)
    assert not Enterprise.objects.filter(user=user).exists()


def test_credit_code_check_character_and_incomplete_cascades_are_refused(make_user, answers, demo):
    user = make_user()
    good = answers()["credit_code"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(credit_code=bad), actor=user)
    assert "校验" in errors_of(exc)["credit_code"][0]
    with pytest.raises(ValidationError) as exc:
        enterprise_register(user=user, answers=answers(region="330200", industry="C343"), actor=user)
    assert set(errors_of(exc)) == {"region", "industry"}


def test_size_is_computed_from_the_measures_and_follows_the_industry(register, make_user):
    measures = SizeMeasures(revenue_thousand=25000, employees=60, assets_thousand=30000)
    expected = {code: enterprise_size_classify(industry=industry_by_full_code(code), measures=measures) for code in ("C3435", "F5211")}
    assert expected["C3435"] != expected["F5211"]  # the same figures, another industry, another size
    for code, size in expected.items():
        wrong = "large" if size != "large" else "micro"
        assert register(industry=code, size=wrong).size == size  # the computed size wins over the chosen one


def test_size_chosen_stands_when_measures_are_missing(register):
    assert enterprise_size_for_answers({"industry": "C3435", "employees_last_year": 60}) is None
    enterprise = register(revenue_last_year=None, employees_last_year=None, assets_last_year=None, size="medium")
    assert enterprise.size == "medium"


def test_size_recomputed_when_a_returned_registration_changes_industry(register, admin_user):
    enterprise = register(industry="C3435")
    enterprise_registration_return(enterprise=enterprise, actor=admin_user("sme_haishu"), reason="行业填写有误")
    answers = enterprise_registration_answers(Enterprise.objects.get(pk=enterprise.pk))
    answers["industry"] = "F5211"
    again = enterprise_register(user=enterprise.user, answers=answers, actor=enterprise.user)
    assert again.size == enterprise_size_for_answers(answers) != enterprise.size


def test_resubmit_after_return_corrects_the_same_enterprise(register, admin_user):
    enterprise = register()
    enterprise_registration_return(enterprise=enterprise, actor=admin_user("sme_haishu"), reason="企业名称有误")
    enterprise.refresh_from_db()
    assert enterprise.status == S.RETURNED and enterprise.return_reason == "企业名称有误"
    answers = enterprise_registration_answers(enterprise)
    answers["name"] = enterprise.name + "（更正）"
    again = enterprise_register(user=enterprise.user, answers=answers, actor=enterprise.user)
    assert again.pk == enterprise.pk and again.status == S.PENDING and again.return_reason == ""
    assert again.name.endswith("（更正）")
    assert Enterprise.objects.filter(user=enterprise.user).count() == 1
    # its own name and code are not "already existing"
    answers = enterprise_registration_answers(again)
    assert answers["credit_code"] == again.credit_code


# -- review ---------------------------------------------------------------------------------------

def test_approve_notifies_the_registrant_by_sms_on_commit(register, admin_user, django_capture_on_commit_callbacks):
    enterprise = register()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enterprise_registration_approve(enterprise=enterprise, actor=admin_user("sme_haishu"))
        assert not SmsMessage.objects.filter(mobile=enterprise.user.mobile).exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    enterprise.refresh_from_db()
    assert enterprise.status == S.APPROVED and enterprise.approved_at is not None
    sms = SmsMessage.objects.get(mobile=enterprise.user.mobile)
    assert enterprise.name in sms.text and "审核通过" in sms.text
    assert enterprise_can_fill(enterprise.user, enterprise)
    assert EnterpriseEvent.objects.filter(enterprise=enterprise, action=EnterpriseAction.REGISTRATION_APPROVE).exists()


@pytest.mark.parametrize("login", ["sme_haishu", "sme_ningbo", "sme_zhejiang", "sme_admin"])
def test_every_administrator_above_the_region_with_the_flag_may_review(register, admin_user, login):
    enterprise = enterprise_registration_approve(enterprise=register(), actor=admin_user(login))
    assert enterprise.status == S.APPROVED


def test_out_of_region_flagless_and_enterprise_actors_are_refused(register, make_admin, make_user, admin_user):
    enterprise = register()  # 海曙区
    hangzhou = make_admin("hz_admin01", "sme_zhejiang", "330100", 2, can_review_registration=True)
    jiangbei = make_admin("jb_admin01", "sme_ningbo", "330205", 3, can_review_registration=True)
    flagless = make_admin("hs_noflag1", "sme_ningbo", "330203", 3, can_review_report=True)
    for actor in (hangzhou, jiangbei, flagless, make_user(), enterprise.user):
        for call in (lambda a: enterprise_registration_approve(enterprise=enterprise, actor=a),
                     lambda a: enterprise_registration_return(enterprise=enterprise, actor=a, reason="原因"),
                     lambda a: enterprise_registration_delete(enterprise=enterprise, actor=a)):
            with pytest.raises(PermissionDenied):
                call(actor)
    enterprise.refresh_from_db()
    assert enterprise.status == S.PENDING
    with pytest.raises(PermissionDenied) as exc:
        enterprise_registration_approve(enterprise=enterprise, actor=hangzhou)
    assert "管理地区" in str(exc.value)
    with pytest.raises(PermissionDenied) as exc:
        enterprise_registration_approve(enterprise=enterprise, actor=flagless)
    assert "注册信息审核权" in str(exc.value)


def test_an_inactive_administrator_is_refused(register, admin_user):
    admin = admin_user("sme_haishu")
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        enterprise_registration_approve(enterprise=register(), actor=admin)


def test_return_needs_a_reason_of_at_most_150_characters_and_sends_no_sms(register, admin_user, django_capture_on_commit_callbacks):
    enterprise, actor = register(), admin_user("sme_haishu")
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            enterprise_registration_return(enterprise=enterprise, actor=actor, reason=reason)
        assert "reason" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        enterprise_registration_return(enterprise=enterprise, actor=actor, reason="长" * 151)
    assert "150" in errors_of(exc)["reason"][0]
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_registration_return(enterprise=enterprise, actor=actor, reason="长" * 150)
    enterprise.refresh_from_db()
    assert enterprise.status == S.RETURNED and len(enterprise.return_reason) == 150
    assert not SmsMessage.objects.filter(mobile=enterprise.user.mobile).exists()
    event = EnterpriseEvent.objects.get(enterprise=enterprise, action=EnterpriseAction.REGISTRATION_RETURN)
    assert (event.from_status, event.to_status, event.actor) == (S.PENDING, S.RETURNED, actor)


def test_transitions_out_of_order_are_refused(register, admin_user):
    enterprise, actor = register(), admin_user("sme_haishu")
    enterprise_registration_return(enterprise=enterprise, actor=actor, reason="请更正")
    with pytest.raises(ValidationError):  # returned → approved needs a resubmit first
        enterprise_registration_approve(enterprise=enterprise, actor=actor)
    with pytest.raises(ValidationError):
        enterprise_registration_return(enterprise=enterprise, actor=actor, reason="again")
    approved = enterprise_registration_approve(enterprise=register(), actor=actor)
    with pytest.raises(ValidationError):
        enterprise_registration_approve(enterprise=approved, actor=actor)
    with pytest.raises(ValidationError):
        enterprise_registration_return(enterprise=approved, actor=actor, reason="too late")
    with pytest.raises(ValidationError) as exc:
        enterprise_registration_delete(enterprise=approved, actor=actor)
    assert "审核通过" in exc.value.messages[0]
    assert Enterprise.objects.filter(pk=approved.pk).exists()


def test_delete_pending_and_returned_registrations_keeps_the_audit_trail(register, admin_user):
    actor = admin_user("sme_ningbo")
    pending, returned = register(), register()
    enterprise_registration_return(enterprise=returned, actor=actor, reason="重复注册")
    for enterprise in (pending, returned):
        enterprise_registration_delete(enterprise=enterprise, actor=actor)
        assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
        event = EnterpriseEvent.objects.get(enterprise_name=enterprise.name, action=EnterpriseAction.REGISTRATION_DELETE)
        assert event.enterprise is None and event.actor == actor
    # the account may register again afterwards
    assert register(user=pending.user).status == S.PENDING


def test_review_queue_is_scoped(register, admin_user, make_admin):
    haishu, jiangbei = register(region="330203"), register(region="330205")
    assert set(registrations_for_review(admin_user("sme_haishu"))) == {haishu}
    assert {haishu, jiangbei} <= set(registrations_for_review(admin_user("sme_ningbo")))
    flagless = make_admin("nb_noflag1", "sme_ningbo", "330205", 3)
    assert not registrations_for_review(flagless).exists()


# -- association and filler -----------------------------------------------------------------------

@pytest.fixture
def approved(register, admin_user):
    return enterprise_registration_approve(enterprise=register(), actor=admin_user("sme_haishu"))


def test_associate_matches_exact_name_and_code_of_an_approved_enterprise(approved, make_user, register):
    user = make_user()
    before = EnterpriseAssociation.objects.count()
    association = enterprise_associate(user=user, name=f" {approved.name} ", credit_code=approved.credit_code.lower())
    assert association.enterprise == approved
    assert approved in enterprises_for_user(user)
    assert not enterprise_can_fill(user, approved)
    pending = register()
    for name, code in ((approved.name, pending.credit_code), (approved.name + "x", approved.credit_code),
                       (pending.name, pending.credit_code)):
        with pytest.raises(ValidationError) as exc:
            enterprise_associate(user=make_user(), name=name, credit_code=code)
        assert "没有" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        enterprise_associate(user=user, name=approved.name, credit_code=approved.credit_code)
    assert "已关联" in exc.value.messages[0]
    with pytest.raises(ValidationError):  # the registrant is associated already
        enterprise_associate(user=approved.user, name=approved.name, credit_code=approved.credit_code)
    with pytest.raises(ValidationError) as exc:
        enterprise_associate(user=make_user(), name="", credit_code="")
    assert set(errors_of(exc)) == {"name", "credit_code"}
    assert EnterpriseAssociation.objects.count() == before + 1


def test_administrators_do_not_associate(approved, admin_user):
    with pytest.raises(PermissionDenied):
        enterprise_associate(user=admin_user("sme_haishu"), name=approved.name, credit_code=approved.credit_code)


def test_filler_apply_only_when_none_and_only_when_associated(approved, make_user):
    user, stranger = make_user(), make_user()
    enterprise_associate(user=user, name=approved.name, credit_code=approved.credit_code)
    with pytest.raises(ValidationError) as exc:  # the registrant is the filler
        enterprise_filler_apply(user=user, enterprise=approved)
    assert "已有填报员" in exc.value.messages[0]
    Enterprise.objects.filter(pk=approved.pk).update(filler=None)  # e.g. the filler's account was removed
    with pytest.raises(PermissionDenied):
        enterprise_filler_apply(user=stranger, enterprise=approved)
    enterprise = enterprise_filler_apply(user=user, enterprise=approved)
    assert enterprise.filler == user and enterprise_can_fill(user, enterprise)
    assert not enterprise_can_fill(approved.user, enterprise)
    with pytest.raises(ValidationError) as exc:
        enterprise_filler_apply(user=user, enterprise=approved)
    assert "已是" in exc.value.messages[0]
    assert EnterpriseEvent.objects.filter(enterprise=approved, action=EnterpriseAction.FILLER_APPLY).count() == 1


def test_filler_apply_refused_for_a_pending_enterprise(register, make_user):
    pending = register()
    Enterprise.objects.filter(pk=pending.pk).update(filler=None)
    with pytest.raises(ValidationError):
        enterprise_filler_apply(user=pending.user, enterprise=pending)


def test_handover_to_an_associated_user(approved, make_user):
    registrant, helper, stranger = approved.user, make_user(), make_user()
    enterprise_associate(user=helper, name=approved.name, credit_code=approved.credit_code)
    with pytest.raises(PermissionDenied):  # only the current filler hands over
        enterprise_filler_handover(enterprise=approved, actor=helper, to_user=helper)
    with pytest.raises(ValidationError) as exc:
        enterprise_filler_handover(enterprise=approved, actor=registrant, to_user=stranger)
    assert "to_user" in errors_of(exc)
    with pytest.raises(ValidationError):
        enterprise_filler_handover(enterprise=approved, actor=registrant, to_user=registrant)
    enterprise = enterprise_filler_handover(enterprise=approved, actor=registrant, to_user=helper)
    assert enterprise.filler == helper
    assert enterprise_can_fill(helper, enterprise) and not enterprise_can_fill(registrant, enterprise)
    assert approved in enterprises_for_user(registrant)  # still associated, no longer the filler
    with pytest.raises(PermissionDenied):  # the old filler cannot hand over again
        enterprise_filler_handover(enterprise=approved, actor=registrant, to_user=helper)
    back = enterprise_filler_handover(enterprise=approved, actor=helper, to_user=registrant)
    assert back.filler == registrant
    event = EnterpriseEvent.objects.filter(action=EnterpriseAction.FILLER_HANDOVER).first()
    assert event.actor == helper and helper.username in event.reason


# -- demo -----------------------------------------------------------------------------------------

def test_demo_registrations_are_seeded_once(demo):
    from accounts.demo import seed_demo
    from accounts.models import User

    counts = (Enterprise.objects.count(), EnterpriseAssociation.objects.count(), EnterpriseEvent.objects.count())
    seed_demo()
    assert (Enterprise.objects.count(), EnterpriseAssociation.objects.count(), EnterpriseEvent.objects.count()) == counts
    pending = Enterprise.objects.get(user__username="com_demo04")
    returned = Enterprise.objects.get(user__username="com_demo05")
    assert pending.status == S.PENDING and returned.status == S.RETURNED and returned.return_reason
    assert User.objects.get(username="com_demo04").mobile == "13800000004"
    helper = User.objects.get(username="com_demo06")
    demo01 = Enterprise.objects.get(user__username="com_demo01")
    assert demo01 in enterprises_for_user(helper) and demo01.filler.username == "com_demo01"
    assert User.objects.get(username="com_demo05").check_password(__import__("accounts.demo").demo.DEMO_PASSWORD)
