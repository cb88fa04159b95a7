"""下级管理员维护: services (allowed and refused), views, and the authorization matrix."""
import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from accounts import services
from accounts.models import AdministratorProfile, SmsMessage, User
from accounts.selectors import admin_scope, administrator_tree
from regions.selectors import region_by_code

pytestmark = pytest.mark.django_db
PASSWORD = "Demo@2026sme"


@pytest.fixture(autouse=True)
def _zh():
    with translation.override("zh-hans"):
        yield


def _user(login):
    return User.objects.get(username=login)


def _fresh(profile):
    return AdministratorProfile.objects.select_related("user", "region").get(pk=profile.pk)


def _subordinate(creator_login, username, mobile, code, level, **flags):
    profile, password = services.subordinate_create(
        actor=_user(creator_login), region=region_by_code(code, level=level), username=username, mobile=mobile,
        **flags,
    )
    return profile, password


@pytest.fixture
def jiangbei(demo_core):
    """A county administrator created by sme_ningbo, with nothing hanging on it (deletable)."""
    profile, _password = _subordinate("sme_ningbo", "sme_jiangbei", "13900000011", "330205", 3,
                                      can_review_report=True)
    return profile


@pytest.fixture
def jiangsu(demo_core):
    """Another province's administrator (created by the national one)."""
    profile, _password = _subordinate("sme_admin", "sme_jiangsu", "13900000021", "320000", 1,
                                      can_review_report=True, can_skip_level=True)
    return profile


# -- services: create --------------------------------------------------------------------------

def test_subordinate_create_generates_a_password_shown_once(demo_core, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        profile, password = _subordinate("sme_ningbo", "sme_jiangbei", "13900000011", "330205", 3,
                                         can_review_report=True, can_one_click=True)
    assert profile.get_parent() == demo_core["sme_ningbo"] and profile.created_by == _user("sme_ningbo")
    assert profile.region.code == "330205" and profile.can_review_report and not profile.can_sms_remind
    user = profile.user
    assert user.check_password(password) and len(password) >= 12
    assert user.is_staff and user.groups.filter(name="地方管理员").exists()
    # The new administrator is told its login name by SMS; the password is never sent (the outbox keeps texts).
    message = SmsMessage.objects.get(mobile="13900000011")
    assert "sme_jiangbei" in message.text and password not in message.text
    assert ModelLogEntry.objects.for_instance(profile).filter(action="accounts.administrator.create").exists()


def test_subordinate_create_refusals(demo_core):
    ningbo = demo_core["sme_ningbo"]
    with pytest.raises(ValidationError) as exc:  # Hangzhou is outside Ningbo
        _subordinate("sme_ningbo", "sme_xihu", "13900000011", "330106", 3)
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # skip-level below a province
        _subordinate("sme_ningbo", "sme_jiangbei", "13900000011", "330205", 3, can_skip_level=True)
    assert "can_skip_level" in exc.value.message_dict
    ningbo.can_sms_remind = False
    ningbo.save(update_fields=["can_sms_remind"])
    with pytest.raises(ValidationError) as exc:  # a flag the creator does not hold
        _subordinate("sme_ningbo", "sme_jiangbei", "13900000011", "330205", 3, can_sms_remind=True)
    assert exc.value.message_dict["can_sms_remind"] == ["不能授予您本人没有的权限。"]
    for login in ("com_demo01",):
        with pytest.raises(PermissionDenied):
            _subordinate(login, "sme_jiangbei", "13900000011", "330205", 3)
    with pytest.raises(ValidationError) as exc:
        _subordinate("sme_haishu", "sme_haishu2", "13900000011", "330203", 3)  # a county has nothing below it
    assert "region" in exc.value.message_dict
    assert not User.objects.filter(username__in=["sme_xihu", "sme_jiangbei", "sme_haishu2"]).exists()


def test_skip_level_is_granted_by_the_national_administrator_to_provinces_only(demo_core):
    with pytest.raises(ValidationError):
        _subordinate("sme_admin", "sme_suzhou", "13900000022", "320500", 2, can_skip_level=True)
    province, _password = _subordinate("sme_admin", "sme_jiangsu", "13900000021", "320000", 1, can_skip_level=True)
    assert province.can_skip_level


# -- services: update, password, delete --------------------------------------------------------

def _update(actor_login, profile, **changes):
    profile = _fresh(profile)
    fields = dict(mobile=profile.user.mobile, region=profile.region, email=profile.user.email,
                  real_name=profile.user.real_name, organisation=profile.organisation, phone=profile.phone,
                  **{f: getattr(profile, f) for f in services.ADMIN_FLAGS})
    return services.administrator_update(actor=_user(actor_login), profile=profile, **(fields | changes))


def test_update_by_its_creator(jiangbei):
    updated = _update("sme_ningbo", jiangbei, organisation="江北区经信局", mobile="13900000012",
                      region=region_by_code("330206", level=3), can_sms_remind=True, can_review_report=False)
    updated = _fresh(updated)
    assert updated.organisation == "江北区经信局" and updated.user.mobile == "13900000012"
    assert updated.region.code == "330206" and updated.can_sms_remind and not updated.can_review_report
    entry = ModelLogEntry.objects.for_instance(updated).get(action="accounts.administrator.edit")
    assert set(entry.data["changed"]) == {"organisation", "region", "can_sms_remind", "can_review_report"}


def test_update_refusals(jiangbei, jiangsu, demo_core):
    for login in ("sme_zhejiang", "sme_admin", "sme_haishu", "sme_jiangsu", "com_demo01"):
        with pytest.raises(PermissionDenied):
            _update(login, jiangbei, organisation="x")
    with pytest.raises(ValidationError) as exc:
        _update("sme_ningbo", jiangbei, region=region_by_code("330106", level=3))
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _update("sme_ningbo", jiangbei, mobile="13900000001")
    assert "mobile" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _update("sme_ningbo", jiangbei, can_skip_level=True)
    assert "can_skip_level" in exc.value.message_dict
    # sme_haishu reviews com_demo01: it cannot move to another region.
    with pytest.raises(ValidationError) as exc:
        _update("sme_ningbo", demo_core["sme_haishu"], region=region_by_code("330206", level=3))
    assert "直接审核员" in exc.value.message_dict["region"][0]
    assert _fresh(jiangbei).organisation == ""


def test_update_grants_only_held_flags_but_may_revoke_any(jiangbei, demo_core):
    ningbo = demo_core["sme_ningbo"]
    ningbo.can_one_click = False
    ningbo.save(update_fields=["can_one_click"])
    AdministratorProfile.objects.filter(pk=jiangbei.pk).update(can_one_click=True)
    _update("sme_ningbo", jiangbei, can_one_click=False)  # revoke: allowed
    with pytest.raises(ValidationError) as exc:
        _update("sme_ningbo", jiangbei, can_one_click=True)  # grant back: refused
    assert "can_one_click" in exc.value.message_dict
    # The national administrator may revoke the province's skip-level flag it does not hold itself.
    _update("sme_admin", demo_core["sme_zhejiang"], can_skip_level=False)
    assert not _fresh(demo_core["sme_zhejiang"]).can_skip_level


def test_password_reset_by_its_creator_only(jiangbei):
    with pytest.raises(PermissionDenied):
        services.administrator_password_reset(actor=_user("sme_zhejiang"), profile=jiangbei)
    password = services.administrator_password_reset(actor=_user("sme_ningbo"), profile=jiangbei)
    assert _user("sme_jiangbei").check_password(password)


def test_delete_refused_while_tied(demo):
    from enterprises.models import Enterprise
    from formdefs.models import FormVersion
    from reporting.models import ReportType, Submission

    with pytest.raises(ValidationError) as exc:
        services.administrator_delete(actor=_user("sme_zhejiang"), profile=demo["sme_ningbo"])
    assert re.fullmatch(r"不能删除 sme_ningbo：该管理员有 1 个下级管理员；是 \d+ 家企业的直接审核员。", exc.value.messages[0])
    with pytest.raises(ValidationError) as exc:
        services.administrator_delete(actor=_user("sme_ningbo"), profile=demo["sme_haishu"])
    assert re.fullmatch(r"不能删除 sme_haishu：该管理员是 \d+ 家企业的直接审核员。", exc.value.messages[0])
    # A report waiting for review held by an administrator with no other ties.
    holder, _password = _subordinate("sme_ningbo", "sme_jiangbei", "13900000011", "330205", 3)
    report_type = ReportType.objects.get(key="sme_monthly")
    Submission.objects.create(
        report_type=report_type, enterprise=Enterprise.objects.get(user__username="com_demo02"),
        period=datetime.date(2020, 1, 1), version=FormVersion.objects.first(), status="pending", holder=holder,
    )
    with pytest.raises(ValidationError) as exc:
        services.administrator_delete(actor=_user("sme_ningbo"), profile=holder)
    assert exc.value.messages == ["不能删除 sme_jiangbei：该管理员持有 1 份待审核的报表。"]
    assert AdministratorProfile.objects.filter(pk=holder.pk).exists()


def test_delete_by_its_creator(jiangbei, demo_core):
    for login in ("sme_zhejiang", "sme_admin", "sme_haishu"):
        with pytest.raises(PermissionDenied):
            services.administrator_delete(actor=_user(login), profile=jiangbei)
    services.administrator_delete(actor=_user("sme_ningbo"), profile=jiangbei)
    assert not AdministratorProfile.objects.filter(pk=jiangbei.pk).exists()
    user = _user("sme_jiangbei")  # kept for the audit trail, but it cannot log in
    assert not user.is_active and user.mobile is None and not user.has_usable_password()
    assert not user.groups.exists() and admin_scope(user).is_empty
    assert _fresh(demo_core["sme_ningbo"]).numchild == 1
    assert ModelLogEntry.objects.filter(action="accounts.administrator.delete", object_id=str(jiangbei.pk)).exists()
    # Its mobile is free for the next administrator.
    _subordinate("sme_ningbo", "sme_jiangbei2", "13900000011", "330205", 3)


# -- selectors ----------------------------------------------------------------------------------

def test_tree_is_rooted_at_me(jiangbei, jiangsu, django_assert_max_num_queries):
    ningbo = _user("sme_ningbo")
    with django_assert_max_num_queries(2):  # the scope, then the whole subtree in one query
        root = administrator_tree(admin_scope(ningbo))
        names = [(root.profile.user.username, [(c.profile.user.username, c.profile.region.full_name)
                                               for c in root.children])]
    assert names == [("sme_ningbo", [("sme_haishu", "浙江省宁波市海曙区"), ("sme_jiangbei", "浙江省宁波市江北区")])]
    national = administrator_tree(admin_scope(_user("sme_admin")))
    assert [c.profile.user.username for c in national.children] == ["sme_zhejiang", "sme_jiangsu"]
    assert [c.profile.user.username for c in national.children[0].children[0].children] == ["sme_haishu", "sme_jiangbei"]
    assert administrator_tree(admin_scope(_user("com_demo01"))) is None


# -- views --------------------------------------------------------------------------------------

def _form_data(username, mobile, *codes, **flags):
    data = {"username": username, "mobile": mobile, "email": f"{username}@example.com", "phone": "0574-1",
            "organisation": "某单位", "real_name": "王五"}
    data.update({f"region_{level}": code for level, code in enumerate(codes, start=1)})
    data.update({flag: "on" for flag, on in flags.items() if on})
    return data


def test_tree_view(client, jiangbei, django_assert_num_queries):
    client.force_login(_user("sme_ningbo"))
    client.get(reverse("accounts_admin:tree"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("accounts_admin:tree"))
    for n in range(4):  # more subordinates, same number of queries
        _subordinate("sme_ningbo", f"sme_more{n}", f"1390000010{n}", "330206", 3)
    with django_assert_num_queries(len(before)):
        response = client.get(reverse("accounts_admin:tree"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "下级管理员维护" in html and "浙江省宁波市江北区" in html and "由 sme_ningbo 创建" in html
    assert 'data-admin="sme_haishu"' in html and 'data-admin="sme_zhejiang"' not in html
    assert reverse("accounts_admin:edit", args=[jiangbei.pk]) in html


def test_create_view_shows_the_password_once(client, demo_core, django_capture_on_commit_callbacks):
    client.force_login(_user("sme_ningbo"))
    form = client.get(reverse("accounts_admin:create")).content.decode()
    assert 'name="region_3"' in form and 'name="region_2"' not in form and "江北区" in form
    assert 'name="can_skip_level"' not in form  # never offered below the national administrator
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts_admin:create"),
                               _form_data("sme_jiangbei", "13900000011", "", "", "330205", can_review_report=True))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="password">([^<]+)<', response.content.decode()).group(1)
    assert _user("sme_jiangbei").check_password(password)
    profile = AdministratorProfile.objects.get(user__username="sme_jiangbei")
    assert profile.region.code == "330205" and profile.can_review_report and profile.organisation == "某单位"
    detail = client.get(reverse("accounts_admin:detail", args=[profile.pk])).content.decode()
    assert password not in detail


def test_create_view_national_offers_skip_level_and_checks_the_chain(client, demo_core):
    client.force_login(_user("sme_admin"))
    form = client.get(reverse("accounts_admin:create")).content.decode()
    assert 'name="region_1"' in form and 'name="can_skip_level"' in form
    response = client.post(reverse("accounts_admin:create"),
                           _form_data("sme_jiangsu", "13900000021", "320000", can_skip_level=True))
    assert response.status_code == 200
    assert AdministratorProfile.objects.get(user__username="sme_jiangsu").can_skip_level
    # A city with skip-level: refused with a message on the field.
    response = client.post(reverse("accounts_admin:create"),
                           _form_data("sme_suzhou", "13900000022", "320000", "320500", can_skip_level=True))
    assert response.status_code == 400 and "can_skip_level" in response.context["form"].errors
    # A county that is not a child of the chosen city: the cascade refuses it.
    response = client.post(reverse("accounts_admin:create"),
                           _form_data("sme_suzhou", "13900000022", "320000", "320500", "330205"))
    assert response.status_code == 400 and not User.objects.filter(username="sme_suzhou").exists()


def test_create_view_refuses_flags_not_held(client, demo_core):
    ningbo = demo_core["sme_ningbo"]
    ningbo.can_sms_remind = False
    ningbo.save(update_fields=["can_sms_remind"])
    client.force_login(_user("sme_ningbo"))
    form = client.get(reverse("accounts_admin:create")).content.decode()
    assert re.search(r'<input[^>]*name="can_sms_remind"[^>]*disabled', form)
    response = client.post(reverse("accounts_admin:create"),
                           _form_data("sme_jiangbei", "13900000011", "", "", "330205", can_sms_remind=True))
    # A disabled field ignores what is posted: created without the flag.
    assert response.status_code == 200
    assert not AdministratorProfile.objects.get(user__username="sme_jiangbei").can_sms_remind


def test_county_cannot_create(client, demo_core):
    client.force_login(_user("sme_haishu"))
    response = client.get(reverse("accounts_admin:create"), follow=True)
    assert "区县管理员没有下级地区" in response.content.decode()
    assert 'data-testid="create-subordinate"' not in client.get(reverse("accounts_admin:tree")).content.decode()


def test_edit_view(client, jiangbei):
    client.force_login(_user("sme_ningbo"))
    url = reverse("accounts_admin:edit", args=[jiangbei.pk])
    form = client.get(url).content.decode()
    assert 'name="username"' not in form and 'value="13900000011"' in form
    assert re.search(r'<option value="330205" selected>', form)
    response = client.post(url, _form_data("ignored", "13900000012", "", "", "330205", can_review_report=True))
    assert response.status_code == 302
    assert _fresh(jiangbei).user.mobile == "13900000012" and _fresh(jiangbei).organisation == "某单位"
    response = client.post(url, _form_data("ignored", "13900000001", "", "", "330205"))
    assert response.status_code == 400 and "该手机号已绑定其他账号" in response.content.decode()


def test_refusals_are_messages_in_the_users_language(client, demo_core):
    client.force_login(_user("sme_ningbo"))
    haishu = demo_core["sme_haishu"]
    response = client.post(reverse("accounts_admin:delete", args=[haishu.pk]), follow=True)
    html = response.content.decode()
    assert "不能删除 sme_haishu：该管理员是 1 家企业的直接审核员。" in html
    assert AdministratorProfile.objects.filter(pk=haishu.pk).exists()
    detail = client.get(reverse("accounts_admin:detail", args=[haishu.pk])).content.decode()
    assert 'data-testid="delete-blocked"' in detail and 'data-testid="delete"' not in detail
    client.force_login(_user("sme_zhejiang"))
    response = client.get(reverse("accounts_admin:edit", args=[haishu.pk]), follow=True)
    assert "只有创建该账号的管理员才能修改或删除它。" in response.content.decode()


def test_delete_view(client, jiangbei):
    client.force_login(_user("sme_ningbo"))
    url = reverse("accounts_admin:delete", args=[jiangbei.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert "管理员 sme_jiangbei 已删除。" in response.content.decode()
    assert not AdministratorProfile.objects.filter(pk=jiangbei.pk).exists()


def test_menu_item_for_administrators_only(client, demo_core):
    client.force_login(_user("sme_haishu"))
    assert reverse("accounts_admin:tree") in client.get(reverse("wagtailadmin_home")).content.decode()


# -- authorization matrix -----------------------------------------------------------------------
# Every URL and action as each role. The target is sme_jiangbei (Ningbo's county 江北区, created by
# sme_ningbo). OK: allowed; REFUSED: a message and a redirect, nothing changed; 404: outside my
# subtree; LOGIN: sent to the login page (anonymous, enterprise users have no admin access).

OK, REFUSED, NOT_FOUND, LOGIN, BAD = "ok", "refused", 404, "login", 400
ROLES = ["sme_admin", "sme_zhejiang", "sme_ningbo", "sme_haishu", "sme_jiangsu", "com_demo01", None]
MATRIX = {
    #                 national  province  city(creator) county   other prov.  enterprise anonymous
    "tree":          (OK,       OK,       OK,           OK,      OK,          LOGIN,     LOGIN),
    "create_get":    (OK,       OK,       OK,           REFUSED, OK,          LOGIN,     LOGIN),
    "create_post":   (OK,       OK,       OK,           REFUSED, BAD,         LOGIN,     LOGIN),
    "detail":        (OK,       OK,       OK,           NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN),
    "edit_get":      (REFUSED,  REFUSED,  OK,           NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN),
    "edit_post":     (REFUSED,  REFUSED,  OK,           NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN),
    "password":      (REFUSED,  REFUSED,  OK,           NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN),
    "delete_get":    (REFUSED,  REFUSED,  OK,           NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN),
    "delete_post":   (REFUSED,  REFUSED,  OK,           NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN),
}


def _outcome(response) -> object:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("accounts:login")):
        return LOGIN
    if response.status_code in (404, 400, 403):
        return response.status_code
    if response.status_code == 302:
        return REFUSED if any(m.level_tag == "error" for m in response.wsgi_request._messages) else OK
    assert response.status_code == 200, response.status_code
    return OK


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_authorization_matrix(client, role, jiangbei, jiangsu):
    column = ROLES.index(role)
    if role:
        client.force_login(_user(role))
    pk = jiangbei.pk
    # Each creator posts a county of Ningbo with every level of the cascade filled.
    create_data = _form_data(f"new_{column}", f"1370000000{column}", "330000", "330200", "330206")
    requests = [
        ("tree", "get", reverse("accounts_admin:tree"), None),
        ("create_get", "get", reverse("accounts_admin:create"), None),
        ("create_post", "post", reverse("accounts_admin:create"), create_data),
        ("detail", "get", reverse("accounts_admin:detail", args=[pk]), None),
        ("edit_get", "get", reverse("accounts_admin:edit", args=[pk]), None),
        ("edit_post", "post", reverse("accounts_admin:edit", args=[pk]),
         _form_data("x", "13900000011", "330000", "330200", "330205") | {"organisation": f"by {role}"}),
        ("password", "post", reverse("accounts_admin:password", args=[pk]), None),
        ("delete_get", "get", reverse("accounts_admin:delete", args=[pk]), None),
        ("delete_post", "post", reverse("accounts_admin:delete", args=[pk]), None),
    ]
    password_before = _user("sme_jiangbei").password
    for action, method, url, data in requests:
        response = getattr(client, method)(url, data or {})
        expected = MATRIX[action][column]
        assert _outcome(response) == expected, (action, role)
        if action == "create_post":
            created = User.objects.filter(username=f"new_{column}").exists()
            assert created == (expected == OK), (action, role)
        elif action == "edit_post":
            assert (_fresh(jiangbei).organisation == f"by {role}") == (expected == OK), (action, role)
        elif action == "password":
            assert (_user("sme_jiangbei").password != password_before) == (expected == OK), (action, role)
        elif action == "delete_post":
            exists = AdministratorProfile.objects.filter(pk=pk).exists()
            assert exists == (expected != OK), (action, role)
