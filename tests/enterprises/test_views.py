"""Registration wizard, status page and association page over HTTP."""
import re

import pytest
from django.urls import reverse

from enterprises.enums import RegistrationStatus as S
from enterprises.models import Enterprise, EnterpriseAssociation
from enterprises.selectors import SESSION_KEY, enterprise_can_fill
from enterprises.services import enterprise_associate, enterprise_registration_approve, enterprise_registration_return
from formdefs.models import WizardDraft

pytestmark = pytest.mark.django_db

REGISTER = "/enterprise/register/"
STATUS = "/enterprise/registration/"
ASSOCIATIONS = "/enterprise/associations/"


def management(response):
    match = re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode())
    return match.group(1), match.group(2)


def form_data(answers: dict) -> dict:
    data = {}
    for key, value in answers.items():
        data[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return data


def wizard_post(client, answers, action="next"):
    name, step = management(client.get(REGISTER))
    return client.post(REGISTER, {name: step, **form_data(answers), "wizard_action": action})


@pytest.fixture
def user_client(client, make_user, demo):
    user = make_user(real_name="王五")
    client.force_login(user)
    client.user = user
    return client


def test_urls_are_in_the_enterprises_namespace():
    assert reverse("enterprises:register") == REGISTER and reverse("enterprises:registration") == STATUS
    assert reverse("enterprises:associations") == ASSOCIATIONS


def test_pages_need_a_login(client, db):
    for url in (REGISTER, STATUS, ASSOCIATIONS):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_status_page_without_registration_offers_to_register(user_client):
    body = user_client.get(STATUS).content.decode()
    assert "您尚未注册企业" in body and REGISTER in body and ASSOCIATIONS in body


def test_wizard_shows_the_registration_form_prefilled_from_the_account(user_client):
    response = user_client.get(REGISTER)
    body = response.content.decode()
    assert response.status_code == 200
    assert "企业信息注册" in body and 'name="credit_code"' in body and "重新计算企业规模" in body
    assert f'value="{user_client.user.mobile}"' in body  # 手机 from the account


def test_save_keeps_a_draft_and_submit_registers(user_client, answers):
    data = answers()
    response = wizard_post(user_client, {"name": data["name"]}, action="save")  # kept as typed, flagged (issue 21 §1)
    assert "已保存草稿" in response.content.decode() and "处需更正" in response.content.decode()
    assert WizardDraft.objects.filter(user=user_client.user).exists()
    response = wizard_post(user_client, data, action="save")
    assert response.status_code == 200 and "已保存" in response.content.decode()
    assert WizardDraft.objects.filter(user=user_client.user).exists()
    assert not Enterprise.objects.filter(user=user_client.user).exists()
    assert "继续填写注册信息" in user_client.get(STATUS).content.decode()
    response = wizard_post(user_client, data)
    assert response.status_code == 302 and response["Location"] == STATUS
    enterprise = Enterprise.objects.get(user=user_client.user)
    assert enterprise.status == S.PENDING and enterprise.name == data["name"]
    assert not WizardDraft.objects.filter(user=user_client.user).exists()
    body = user_client.get(STATUS).content.decode()
    assert "待审核" in body and enterprise.credit_code in body and "海曙区经济和信息化局" in body


def test_duplicate_name_is_shown_on_the_field_and_nothing_is_saved(user_client, register, answers):
    other = register()
    response = wizard_post(user_client, answers(name=other.name))
    body = response.content.decode()
    assert response.status_code == 200
    field = re.search(r'data-fd-node="name".*?</div>', body, re.S).group(0)
    assert "企业名称已存在" in field
    assert "未提交" in body
    assert not Enterprise.objects.filter(user=user_client.user).exists()


def test_size_action_computes_the_size(user_client):
    name, step = management(user_client.get(REGISTER))
    data = {name: step, "industry": "C3435", "revenue_last_year": "25000", "employees_last_year": "60",
            "assets_last_year": "30000", "wizard_action": "size"}
    response = user_client.post(REGISTER, data, HTTP_X_REQUESTED_WITH="fetch")
    assert response.json() == {"size": "small", "message": "已重新计算企业规模：小型。"}
    response = user_client.post(REGISTER, {**data, "industry": "F5211"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.json()["size"] == "medium"
    response = user_client.post(REGISTER, {**data, "employees_last_year": ""}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.json()["size"] is None and "从业人数" in response.json()["message"]
    # without the script: the page comes back with the size chosen
    body = user_client.post(REGISTER, data).content.decode()
    assert re.search(r'name="size" value="small"[^>]*checked', body)


def test_pending_registration_cannot_open_the_wizard(user_client, register):
    register(user=user_client.user)
    response = user_client.get(REGISTER, follow=True)
    assert response.redirect_chain[-1][0] == STATUS
    assert "正在等待审核" in response.content.decode()


def test_returned_registration_shows_the_reason_and_is_corrected(user_client, register, admin_user):
    enterprise = register(user=user_client.user)
    enterprise_registration_return(enterprise=enterprise, actor=admin_user("sme_haishu"), reason="法人代表与营业执照不符")
    body = user_client.get(STATUS).content.decode()
    assert "退回" in body and "法人代表与营业执照不符" in body and "修改并重新提交" in body
    response = user_client.get(REGISTER)
    body = response.content.decode()
    assert "法人代表与营业执照不符" in body and f'value="{enterprise.name}"' in body
    from enterprises.selectors import enterprise_registration_answers

    answers = enterprise_registration_answers(enterprise)
    answers["legal_representative"] = "李明"
    response = wizard_post(user_client, answers)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == S.PENDING and enterprise.legal_representative == "李明" and enterprise.return_reason == ""


def test_approved_status_page(user_client, register, admin_user):
    enterprise_registration_approve(enterprise=register(user=user_client.user), actor=admin_user("sme_haishu"))
    body = user_client.get(STATUS).content.decode()
    assert "审核通过" in body
    assert user_client.get(REGISTER).status_code == 302


def test_administrators_are_sent_away_from_the_wizard(client, admin_user):
    client.force_login(admin_user("sme_haishu"))
    response = client.get(REGISTER, follow=True)
    assert "只有企业用户可以注册企业" in response.content.decode()


# -- associations ---------------------------------------------------------------------------------

@pytest.fixture
def approved(register, admin_user):
    return enterprise_registration_approve(enterprise=register(), actor=admin_user("sme_haishu"))


def test_associate_through_the_page(user_client, approved):
    response = user_client.post(ASSOCIATIONS, {"name": approved.name, "credit_code": approved.credit_code})
    assert response.status_code == 302
    body = user_client.get(ASSOCIATIONS).content.decode()
    assert approved.name in body and 'data-role="associated"' in body and "您不能填报该企业的报表" in body
    response = user_client.post(ASSOCIATIONS, {"name": approved.name, "credit_code": "91330203MA0000000X"})
    assert response.status_code == 200 and "没有企业名称和统一社会信用代码均匹配" in response.content.decode()
    response = user_client.post(ASSOCIATIONS, {"name": "", "credit_code": ""})
    assert "请填写企业名称" in response.content.decode()


def test_apply_and_handover_through_the_page(user_client, approved):
    user = user_client.user
    enterprise_associate(user=user, name=approved.name, credit_code=approved.credit_code)
    # the registrant is the filler: applying is refused with a message
    response = user_client.post(reverse("enterprises:filler-apply", args=[approved.pk]), follow=True)
    assert "已有填报员" in response.content.decode()
    Enterprise.objects.filter(pk=approved.pk).update(filler=None)
    assert "申请成为填报员" in user_client.get(ASSOCIATIONS).content.decode()
    response = user_client.post(reverse("enterprises:filler-apply", args=[approved.pk]), follow=True)
    assert "您已成为" in response.content.decode()
    approved.refresh_from_db()
    assert approved.filler == user
    body = user_client.get(ASSOCIATIONS).content.decode()
    assert 'data-role="filler"' in body and approved.user.username in body  # the registrant can take over
    url = reverse("enterprises:filler-handover", args=[approved.pk])
    response = user_client.post(url, {f"e{approved.pk}-to_user": ""}, follow=True)
    assert "请选择接任填报员的用户" in response.content.decode()
    response = user_client.post(url, {f"e{approved.pk}-to_user": approved.user.pk}, follow=True)
    assert "您不能再填报" in response.content.decode()
    approved.refresh_from_db()
    assert approved.filler == approved.user and not enterprise_can_fill(user, approved)
    response = user_client.post(url, {f"e{approved.pk}-to_user": approved.user.pk}, follow=True)
    assert "只有当前填报员" in response.content.decode() or "请选择" in response.content.decode()


def test_actions_on_an_enterprise_not_mine_are_404(user_client, approved):
    assert user_client.post(reverse("enterprises:filler-apply", args=[approved.pk])).status_code == 404
    assert user_client.post(reverse("enterprises:filler-handover", args=[approved.pk])).status_code == 404


def test_switch_the_current_enterprise(user_client, approved, register, admin_user):
    own = enterprise_registration_approve(enterprise=register(user=user_client.user), actor=admin_user("sme_haishu"))
    enterprise_associate(user=user_client.user, name=approved.name, credit_code=approved.credit_code)
    body = user_client.get(ASSOCIATIONS).content.decode()
    assert body.count("切换到该企业") == 1  # the current one (my filled enterprise) has no switch button
    response = user_client.post(reverse("enterprises:switch"), {"enterprise": approved.pk}, follow=True)
    assert user_client.session[SESSION_KEY] == approved.pk and "当前企业已切换" in response.content.decode()
    stranger = register()
    response = user_client.post(reverse("enterprises:switch"), {"enterprise": stranger.pk}, follow=True)
    assert user_client.session[SESSION_KEY] == approved.pk and "请选择您关联的企业" in response.content.decode()
    assert own.pk != approved.pk


def test_associations_page_query_count(user_client, register, admin_user, django_assert_max_num_queries):
    for _ in range(4):
        enterprise = enterprise_registration_approve(enterprise=register(), actor=admin_user("sme_haishu"))
        enterprise_associate(user=user_client.user, name=enterprise.name, credit_code=enterprise.credit_code)
    with django_assert_max_num_queries(20):
        response = user_client.get(ASSOCIATIONS)
    assert response.status_code == 200 and EnterpriseAssociation.objects.filter(user=user_client.user).count() == 4


def test_demo_associated_user_sees_com_demo01_enterprise_without_filling(client, demo):
    from accounts.models import User

    client.force_login(User.objects.get(username="com_demo06"))
    body = client.get(ASSOCIATIONS).content.decode()
    assert "宁波海曙示范机械有限公司" in body and 'data-role="associated"' in body
