"""催报 pages in the Wagtail admin: list, send one, send all, a run's progress; who may open them."""
import pytest

from enterprises.models import Enterprise
from reminders.models import ReminderRun


@pytest.fixture
def haishu(client, admins, report_type):
    client.force_login(admins["sme_haishu"])
    return client


def test_the_list_shows_the_scope_s_non_reporters_of_the_month(client, admins, report_type, period, django_assert_max_num_queries):
    client.force_login(admins["sme_ningbo"])
    with django_assert_max_num_queries(40):
        page = client.get("/admin/reminders/", {"period": f"{period:%Y-%m}"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "宁波海曙示范机械有限公司" in text and "宁波江北示范软件有限公司" in text and "杭州西湖示范食品有限公司" not in text
    assert "一键催报（2家未报送企业）" in text and "未填报" in text


def test_send_one_from_its_row(haishu, period, sms_outbox, django_capture_on_commit_callbacks):
    enterprise = Enterprise.objects.get(user__username="com_demo01")
    response = haishu.post("/admin/reminders/send/", {"enterprise": enterprise.pk, "period": f"{period:%Y-%m}"}, follow=True)
    assert "已向宁波海曙示范机械有限公司（13800000001）发送催报短信。" in response.content.decode()
    assert [m.mobile for m in sms_outbox.all()] == ["13800000001"]


def test_send_one_outside_the_region_is_refused_with_a_message(haishu, period, sms_outbox):
    enterprise = Enterprise.objects.get(user__username="com_demo03")
    response = haishu.post("/admin/reminders/send/", {"enterprise": enterprise.pk, "period": f"{period:%Y-%m}"}, follow=True)
    assert "不在您的管辖地区" in response.content.decode() and sms_outbox.all() == []


def test_send_all_runs_a_task_and_shows_its_results(client, admins, period, sms_outbox, django_capture_on_commit_callbacks):
    client.force_login(admins["sme_ningbo"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/reminders/send-all/", {"period": f"{period:%Y-%m}", "confirmed": "1"})
    run = ReminderRun.objects.get()
    assert response.url == f"/admin/reminders/runs/{run.pk}/"
    page = client.get(response.url).content.decode()
    assert 'data-status="done"' in page and "13800000001" in page and "13800000002" in page and "已发送" in page
    progress = client.get(f"/admin/reminders/runs/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    # Another branch of the tree does not see the run.
    client.force_login(admins["sme_haishu"])
    assert client.get(response.url).status_code == 404


def test_a_running_run_polls_its_progress(client, admins, report_type, period):
    run = ReminderRun.objects.create(report_type=report_type, period=period, created_by=admins["sme_ningbo"],
                                     status="running", total=4, processed=1)
    client.force_login(admins["sme_ningbo"])
    fragment = client.get(f"/admin/reminders/runs/{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment
    assert 'hx-trigger="every 1s"' in fragment.content.decode() and "25%" in fragment.content.decode()


def test_without_the_flag_the_buttons_are_disabled_and_posts_refused(client, admins, period, sms_outbox):
    from accounts.models import AdministratorProfile

    AdministratorProfile.objects.filter(user=admins["sme_haishu"]).update(can_sms_remind=False)
    client.force_login(admins["sme_haishu"])
    assert 'data-testid="no-flag"' in client.get("/admin/reminders/").content.decode()
    response = client.post("/admin/reminders/send-all/", {"period": f"{period:%Y-%m}", "confirmed": "1"}, follow=True)
    assert "您没有短信催报权。" in response.content.decode() and sms_outbox.all() == []


@pytest.mark.parametrize("url", ["/admin/reminders/", "/admin/reminders/send/", "/admin/reminders/send-all/"])
def test_enterprise_users_and_anonymous_visitors_are_kept_out(client, filler, report_type, url, sms_outbox):
    assert client.get(url).status_code in (302, 403, 405)
    client.force_login(filler)
    response = client.post(url, {"enterprise": 1})
    assert response.status_code in (302, 403) and sms_outbox.all() == []
