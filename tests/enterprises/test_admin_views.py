"""The enterprise back office over HTTP: registration review (list, detail, approve with SMS, return with
a reason, delete) and enterprise management (list with filters and export, detail, disable / enable /
delete, the batch actions), with query counts on the lists."""
import pytest
from django.urls import reverse

from accounts.models import SmsMessage, User
from enterprises.enums import EnterpriseAction, RegistrationStatus as S
from enterprises.models import Enterprise, EnterpriseEvent
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401

pytestmark = pytest.mark.django_db

REGISTRATIONS = reverse("enterprises_admin:registrations")
ENTERPRISES = reverse("enterprises_admin:enterprises")
# Wagtail's chrome (session, user, permissions, menus and home panels of every app) plus the list's
# own constant queries (scope, region choices, count, page).
MAX_QUERIES = 24


def bulk(action):
    return reverse("wagtail_bulk_action", args=["enterprises", "enterprise", action])


@pytest.fixture
def login(client):
    def _login(username):
        client.force_login(User.objects.get(username=username))
        return client

    return _login


@pytest.fixture
def pending(demo):
    return Enterprise.objects.get(user__username="com_demo04")  # 鄞州, direct reviewer sme_ningbo


@pytest.fixture
def returned(demo):
    return Enterprise.objects.get(user__username="com_demo05")  # 北仑


@pytest.fixture
def managed(demo):
    return {e.filler.username: e for e in Enterprise.objects.filter(status=S.APPROVED).select_related("filler")}


# -- registration review --------------------------------------------------------------------------

def test_registration_list_shows_pending_registrations_of_the_region(login, pending, returned):
    client = login("sme_ningbo")
    html = client.get(REGISTRATIONS).content.decode()
    assert pending.name in html and returned.name not in html  # 待审核 by default
    html = client.get(REGISTRATIONS, {"status": "all"}).content.decode()
    assert pending.name in html and returned.name in html
    html = client.get(REGISTRATIONS, {"status": "returned"}).content.decode()
    assert pending.name not in html and returned.name in html
    html = client.get(REGISTRATIONS, {"status": "all", "region": "330206"}).content.decode()
    assert pending.name not in html and returned.name in html
    html = client.get(REGISTRATIONS, {"status": "all", "q": pending.credit_code[:10]}).content.decode()
    assert pending.name in html and returned.name not in html
    assert pending.name not in login("sme_haishu").get(REGISTRATIONS).content.decode()  # 鄞州 is not 海曙


def test_registration_list_region_outside_the_scope_is_not_a_choice(login, pending):
    response = login("sme_haishu").get(REGISTRATIONS, {"region": "3302"})
    assert response.status_code == 200  # an invalid filter is ignored, the scope still applies
    assert pending.name not in response.content.decode()


def test_registration_list_query_count(login, pending, django_assert_max_num_queries, register):
    for _ in range(5):
        register(region="330212")
    client = login("sme_ningbo")
    client.get(REGISTRATIONS)  # warm caches (site, locale)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(REGISTRATIONS, {"status": "all"})
    assert response.status_code == 200


def test_registration_detail_shows_every_field(login, pending):
    html = login("sme_ningbo").get(reverse("enterprises_admin:registration", args=[pending.pk])).content.decode()
    for label in ("企业名称", "统一社会信用代码", "法人代表", "所属行业", "所在地区", "注册类型", "控股类型", "企业规模",
                  "通讯地址", "邮政编码", "开业时间", "联系人", "主营业务"):
        assert label in html, label
    assert pending.credit_code in html and "浙江省宁波市鄞州区" in html and "com_demo04" in html
    assert 'data-testid="approve"' in html and 'data-testid="return"' in html


def test_approve_notifies_by_sms(login, pending, django_capture_on_commit_callbacks):
    client = login("sme_ningbo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises_admin:registration_approve", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.APPROVED
    sms = SmsMessage.objects.filter(mobile=pending.user.mobile).latest("id")
    assert pending.name in sms.text and "审核通过" in sms.text


def test_return_with_a_reason_and_no_sms(login, pending, django_capture_on_commit_callbacks):
    client = login("sme_ningbo")
    url = reverse("enterprises_admin:registration_return", args=[pending.pk])
    response = client.post(url, {"reason": "字" * 151})
    assert response.status_code == 200 and "150" in response.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "营业执照复印件不清晰。"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.return_reason) == (S.RETURNED, "营业执照复印件不清晰。")
    assert SmsMessage.objects.count() == before


def test_delete_a_registration(login, returned):
    client = login("sme_ningbo")
    url = reverse("enterprises_admin:registration_delete", args=[returned.pk])
    assert "北仑" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Enterprise.objects.filter(pk=returned.pk).exists()
    assert EnterpriseEvent.objects.filter(enterprise_name=returned.name, action=EnterpriseAction.REGISTRATION_DELETE).exists()


def test_registration_review_needs_the_flag(login, pending, make_admin):
    flagless = make_admin("nb_noflag", "sme_ningbo", "330212", 3)
    client = login(flagless.username)
    # Wagtail answers PermissionDenied with a redirect to the admin home and a message
    for response in (client.get(REGISTRATIONS), client.get(reverse("enterprises_admin:registration", args=[pending.pk])),
                     client.post(reverse("enterprises_admin:registration_approve", args=[pending.pk]))):
        assert response.status_code in (302, 403) and getattr(response, "url", "/admin/") == "/admin/"
    assert "企业注册信息审核" not in client.get(ENTERPRISES).content.decode()  # nor in the menu
    pending.refresh_from_db()
    assert pending.status == S.PENDING


# -- enterprise management ------------------------------------------------------------------------

def test_enterprise_list_filters(login, managed):
    client = login("sme_ningbo")
    haishu, jiangbei, xihu = managed["com_demo01"], managed["com_demo02"], managed["com_demo03"]
    html = client.get(ENTERPRISES).content.decode()
    assert haishu.name in html and jiangbei.name in html and xihu.name not in html
    assert "com_demo04" not in html  # pending registrations are not monitored enterprises
    html = client.get(ENTERPRISES, {"region": "330203"}).content.decode()
    assert haishu.name in html and jiangbei.name not in html
    html = client.get(ENTERPRISES, {"q": "com_demo02"}).content.decode()  # user ID
    assert haishu.name not in html and jiangbei.name in html
    html = client.get(ENTERPRISES, {"q": haishu.credit_code}).content.decode()
    assert haishu.name in html and jiangbei.name not in html
    client.post(reverse("enterprises_admin:disable", args=[haishu.pk]))
    html = client.get(ENTERPRISES, {"state": "disabled"}).content.decode()
    assert haishu.name in html and jiangbei.name not in html
    html = client.get(ENTERPRISES, {"state": "enabled"}).content.decode()
    assert haishu.name not in html and jiangbei.name in html


def test_enterprise_list_export(login, managed):
    response = login("sme_ningbo").get(ENTERPRISES, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert managed["com_demo01"].credit_code in text and managed["com_demo03"].credit_code not in text


def test_enterprise_list_query_count(login, managed, django_assert_max_num_queries, make_user, answers):
    from enterprises.services import enterprise_create_approved
    from enterprises.services import _fields_from_answers

    for n in range(8):
        user = make_user()
        fields = _fields_from_answers(answers(region="330203"))
        fields.pop("region_code")
        enterprise_create_approved(user=user, **fields)
    client = login("sme_admin")
    client.get(ENTERPRISES)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(ENTERPRISES)
    assert response.status_code == 200 and response.content.decode().count("data-bulk-action-checkbox") >= 11


def test_enterprise_detail_disable_enable_delete(login, managed):
    client = login("sme_ningbo")
    jiangbei = managed["com_demo02"]
    url = reverse("enterprises_admin:enterprise", args=[jiangbei.pk])
    html = client.get(url).content.decode()
    assert jiangbei.credit_code in html and 'data-testid="disable"' in html
    client.post(reverse("enterprises_admin:delete", args=[jiangbei.pk]))
    assert Enterprise.objects.filter(pk=jiangbei.pk).exists()  # enabled: not deleted
    client.post(reverse("enterprises_admin:disable", args=[jiangbei.pk]))
    assert Enterprise.objects.get(pk=jiangbei.pk).is_disabled
    client.post(reverse("enterprises_admin:enable", args=[jiangbei.pk]))
    assert not Enterprise.objects.get(pk=jiangbei.pk).is_disabled
    client.post(reverse("enterprises_admin:disable", args=[jiangbei.pk]))
    response = client.post(reverse("enterprises_admin:delete", args=[jiangbei.pk]), follow=True)
    assert not Enterprise.objects.filter(pk=jiangbei.pk).exists()
    assert "已删除" in response.content.decode()


def test_delete_of_an_enterprise_with_reports_keeps_it_disabled_with_a_message(login, enterprise, reports, period):
    reports.save(enterprise, period)
    client = login("sme_haishu")
    client.post(reverse("enterprises_admin:disable", args=[enterprise.pk]))
    confirm = client.get(reverse("enterprises_admin:delete", args=[enterprise.pk])).content.decode()
    assert "保持停用" in confirm
    response = client.post(reverse("enterprises_admin:delete", args=[enterprise.pk]), follow=True)
    assert "不予删除" in response.content.decode()
    assert Enterprise.objects.get(pk=enterprise.pk).is_disabled


def test_batch_disable(login, managed):
    client = login("sme_ningbo")
    ids = [managed["com_demo01"].pk, managed["com_demo02"].pk]
    query = "&".join(f"id={i}" for i in ids) + f"&next={ENTERPRISES}"
    confirm = client.get(f"{bulk('disable')}?{query}")
    assert confirm.status_code == 200 and managed["com_demo01"].name in confirm.content.decode()
    response = client.post(f"{bulk('disable')}?{query}")
    assert response.status_code == 302 and response.url == ENTERPRISES
    assert Enterprise.objects.filter(pk__in=ids, is_disabled=True).count() == 2


def test_batch_disable_of_an_enterprise_outside_the_region_is_a_404(login, managed):
    client = login("sme_ningbo")
    response = client.post(f"{bulk('disable')}?id={managed['com_demo03'].pk}")
    assert response.status_code == 404
    assert not Enterprise.objects.get(pk=managed["com_demo03"].pk).is_disabled


def test_batch_reviewer_change(login, managed, demo, enterprise, reports, period):
    from workflow.enums import Action
    from workflow.models import ReviewEvent

    held = reports.submitted(enterprise, period)
    client = login("sme_ningbo")
    ids = [managed["com_demo01"].pk, managed["com_demo02"].pk]
    query = "&".join(f"id={i}" for i in ids)
    page = client.get(f"{bulk('reviewer')}?{query}").content.decode()
    assert "sme_haishu" in page and "sme_zhejiang" not in page.split("<select")[1]  # only my subtree
    # 海曙's administrator does not manage 江北: refused, naming the enterprise, nothing changes
    response = client.post(f"{bulk('reviewer')}?{query}", {"reviewer": demo["sme_haishu"].pk})
    assert response.status_code == 200 and managed["com_demo02"].name in response.content.decode()
    assert Enterprise.objects.get(pk=ids[0]).direct_reviewer == demo["sme_haishu"]
    response = client.post(f"{bulk('reviewer')}?{query}", {"reviewer": demo["sme_ningbo"].pk})
    assert response.status_code == 302
    assert set(Enterprise.objects.filter(pk__in=ids).values_list("direct_reviewer", flat=True)) == {demo["sme_ningbo"].pk}
    held.refresh_from_db()
    assert held.holder == demo["sme_ningbo"]
    assert ReviewEvent.objects.filter(submission=held, action=Action.REASSIGN).count() == 1
