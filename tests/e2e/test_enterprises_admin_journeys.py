"""The enterprise back office in the browser (desktop and phone): a city administrator approves a
pending registration (the SMS lands in the outbox), returns another with a reason, and changes the
direct reviewer of selected enterprises (their pending reports move along)."""
import re

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

from tests.e2e.conftest import login

CONTENT = "main#main"


def _register_pending(name_suffix: str, mobile: str):
    """A second pending registration in 鄞州 (the demo has one: com_demo04)."""
    from accounts.models import User
    from enterprises.demo import registration_answers
    from enterprises.services import enterprise_register
    from enterprises.validators import uscc_check_char

    user = User.objects.create_user(username=f"com_e2e{name_suffix}", password=DEMO_PASSWORD, mobile=mobile,
                                    email=f"e2e{name_suffix}@example.com", real_name="钱八")
    first17 = f"91330212MA2E2E{name_suffix}0"[:17].ljust(17, "0")
    answers = registration_answers(name=f"宁波鄞州浏览器测试{name_suffix}有限公司", credit_code=first17 + uscc_check_char(first17),
                                   region="330212", industry="C3971", mobile=mobile)
    return enterprise_register(user=user, answers=answers, actor=user)


def _registration_journey(page, base, shot, suffix):
    from accounts.models import SmsMessage
    from enterprises.models import Enterprise

    pending = Enterprise.objects.get(user__username="com_demo04")
    second = _register_pending("77" if suffix == "desktop" else "78", "13700000077" if suffix == "desktop" else "13700000078")

    login(page, base, "sme_ningbo", DEMO_PASSWORD, "13900000003", next_url="/admin/enterprises/registrations/")
    page.wait_for_url(re.compile(r"/admin/enterprises/registrations/"))
    content = page.locator(CONTENT)
    expect(content.get_by_role("link", name=pending.name)).to_be_visible()
    expect(content.get_by_role("link", name=second.name)).to_be_visible()
    expect(content).not_to_contain_text("宁波北仑退回示范物流有限公司")  # returned: not in the default (pending) view
    shot(page, f"enterprises-admin-registrations-{suffix}")

    # 通过: the registrant gets an SMS
    content.get_by_role("link", name=pending.name).click()
    page.wait_for_url(re.compile(r"/admin/enterprises/registrations/\d+/$"))
    expect(content.locator("[data-testid=profile]")).to_contain_text(pending.credit_code)
    expect(content.locator("[data-testid=profile]")).to_contain_text("浙江省宁波市鄞州区")
    shot(page, f"enterprises-admin-registration-detail-{suffix}")
    content.locator("[data-testid=approve]").click()
    page.wait_for_url(re.compile(r"/admin/enterprises/registrations/$"))
    expect(page.locator(".messages")).to_contain_text("已审核通过")
    pending.refresh_from_db()
    assert pending.status == "approved"
    sms = SmsMessage.objects.filter(mobile=pending.user.mobile).order_by("-id").first()
    assert sms is not None and pending.name in sms.text
    shot(page, f"enterprises-admin-approved-{suffix}")

    # 退回 with a reason (at most 150 characters)
    content.get_by_role("link", name=second.name).click()
    content.locator("[data-testid=return]").click()
    page.wait_for_url(re.compile(r"/return/$"))
    textarea = content.locator("textarea[name=reason]")
    expect(textarea).to_have_attribute("maxlength", "150")
    textarea.fill("营业执照上的地址与填写的通讯地址不一致，请核对。")
    shot(page, f"enterprises-admin-return-{suffix}")
    before = SmsMessage.objects.count()
    content.locator("[data-testid=confirm-return]").click()
    page.wait_for_url(re.compile(r"/admin/enterprises/registrations/$"))
    expect(page.locator(".messages")).to_contain_text("已退回")
    second.refresh_from_db()
    assert (second.status, second.return_reason) == ("returned", "营业执照上的地址与填写的通讯地址不一致，请核对。")
    assert SmsMessage.objects.count() == before
    page.goto(f"{base}/admin/enterprises/registrations/?status=returned")
    expect(content.get_by_role("link", name=second.name)).to_be_visible()
    shot(page, f"enterprises-admin-returned-list-{suffix}")


def test_registration_review_desktop(page, live_server, e2e_demo, shot):
    _registration_journey(page, live_server.url, shot, "desktop")


def test_registration_review_phone(phone_page, live_server, e2e_demo, shot):
    _registration_journey(phone_page, live_server.url, shot, "phone")


def _reviewer_journey(page, base, shot, suffix):
    from accounts.models import AdministratorProfile
    from enterprises.models import Enterprise, EnterpriseEvent
    from reporting.models import Submission
    from workflow.enums import Action
    from workflow.models import ReviewEvent

    haishu = Enterprise.objects.get(filler__username="com_demo01")
    jiangbei = Enterprise.objects.get(filler__username="com_demo02")
    ningbo = AdministratorProfile.objects.get(user__username="sme_ningbo")
    held = list(Submission.objects.filter(enterprise=haishu, status="pending", holder__user__username="sme_haishu"))
    assert held

    login(page, base, "sme_ningbo", DEMO_PASSWORD, "13900000003", next_url="/admin/enterprises/")
    page.wait_for_url(re.compile(r"/admin/enterprises/$"))
    content = page.locator(CONTENT)
    expect(content.get_by_role("link", name=haishu.name)).to_be_visible()
    expect(content).not_to_contain_text("杭州")  # 西湖 is outside 宁波
    shot(page, f"enterprises-admin-list-{suffix}")

    for enterprise in (haishu, jiangbei):
        content.locator(f"input[data-bulk-action-checkbox][data-object-id='{enterprise.pk}']").check()
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_be_visible()
    shot(page, f"enterprises-admin-selected-{suffix}")
    expect(footer).to_contain_text("更换直接审核员")
    footer.locator("a[href*='/enterprise/reviewer/']").click()
    page.wait_for_url(re.compile(r"/admin/bulk/enterprises/enterprise/reviewer/"))
    expect(page.locator("[data-testid=chosen] li")).to_have_count(2)

    # sme_haishu does not manage 江北: refused, naming the enterprise
    page.locator("select[name=reviewer]").select_option(str(haishu.direct_reviewer_id))
    page.locator("main#main").get_by_role("button", name="确定").click()
    expect(page.locator("main")).to_contain_text(jiangbei.name)
    expect(page.locator("main")).to_contain_text("不包含")
    shot(page, f"enterprises-admin-reviewer-refused-{suffix}")
    assert Enterprise.objects.get(pk=haishu.pk).direct_reviewer.user.username == "sme_haishu"

    page.locator("select[name=reviewer]").select_option(str(ningbo.pk))
    page.locator("main#main").get_by_role("button", name="确定").click()
    page.wait_for_url(re.compile(r"/admin/enterprises/"))
    expect(page.locator(".messages")).to_contain_text("sme_ningbo")
    shot(page, f"enterprises-admin-reviewer-changed-{suffix}")
    assert set(Enterprise.objects.filter(pk__in=[haishu.pk, jiangbei.pk]).values_list("direct_reviewer", flat=True)) == {ningbo.pk}
    for submission in held:
        submission.refresh_from_db()
        assert submission.holder_id == ningbo.pk
        assert ReviewEvent.objects.filter(submission=submission, action=Action.REASSIGN).exists()
    assert EnterpriseEvent.objects.filter(enterprise=haishu, action="enterprise.reviewer_change").exists()

    page.goto(f"{base}/admin/enterprises/{haishu.pk}/")
    expect(page.locator("[data-testid=reviewer]")).to_contain_text("sme_ningbo")
    expect(page.locator("[data-testid=events]")).to_contain_text("更换直接审核员")
    shot(page, f"enterprises-admin-detail-{suffix}")


def _held_report():
    """A pending report of com_demo01 held by its direct reviewer, sme_haishu (built as the reporting tests do)."""
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types
    from reporting.periods import period_current

    from tests.reporting.conftest import Builder

    report_type, questionnaire, _lines = _ensure_types()
    enterprise = Enterprise.objects.get(filler__username="com_demo01")
    submission = Builder(report_type, questionnaire).submitted(enterprise, period_current(report_type))
    assert submission.holder.user.username == "sme_haishu"
    return submission


def test_batch_reviewer_change_desktop(page, live_server, e2e_demo, shot):
    _held_report()
    _reviewer_journey(page, live_server.url, shot, "desktop")


def test_batch_reviewer_change_phone(phone_page, live_server, e2e_demo, shot):
    _held_report()
    _reviewer_journey(phone_page, live_server.url, shot, "phone")
