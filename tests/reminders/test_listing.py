"""催报's list on Wagtail's listing UI: the drawer's 地区 narrows the rows, and 催报 of the ticked enterprises
(a Wagtail bulk action with its confirmation page) sends through the reminders service, inside the region only."""
import pytest

from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_the_drawer_s_region_narrows_the_list(client, admins, report_type, period):
    client.force_login(admins["sme_ningbo"])
    jiangbei = Enterprise.objects.get(user__username="com_demo02").region_code
    page = client.get("/admin/reminders/results/", {"period": f"{period:%Y-%m}", "region": jiangbei}).content.decode()
    assert 'data-enterprise="com_demo02"' in page and 'data-enterprise="com_demo01"' not in page


def test_remind_the_ticked_enterprises_inside_the_region_only(client, admins, report_type, period, sms_outbox):
    client.force_login(admins["sme_ningbo"])
    e1, e3 = (Enterprise.objects.get(user__username=u) for u in ("com_demo01", "com_demo03"))
    back = f"/admin/reminders/?period={period:%Y-%m}"
    url = "/admin/reminders/bulk/remind/"
    # an enterprise outside the region among the ticked ones: nothing is sent
    assert client.get(url, {"id": [e1.pk, e3.pk], "next": back}).status_code == 404
    assert client.post(f"{url}?id={e1.pk}&id={e3.pk}&next={back}").status_code == 404
    assert sms_outbox.all() == []
    confirm = client.get(url, {"id": e1.pk, "next": back}).content.decode()
    assert 'data-testid="chosen"' in confirm and "宁波海曙示范机械有限公司" in confirm and sms_outbox.all() == []
    response = client.post(f"{url}?id={e1.pk}&next={back}", follow=True)
    assert response.redirect_chain[-1][0] == back
    assert [m.mobile for m in sms_outbox.all()] == ["13800000001"]
    assert "已向1家企业发送催报短信。" in response.content.decode()
