"""批量退回: ticked reports returned with one reason, each on its own; the refused ones named with why."""
import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from reporting.enums import SubmissionStatus as S
from workflow import services as wf
from workflow.enums import Action
from workflow.models import ReviewEvent
from workflow.transitions import TransitionRefused

pytestmark = pytest.mark.django_db

REASON = "本月数据口径有误，请核实后重报。"


@pytest.fixture
def three(reports, enterprise, period):
    """com_demo01 pending at sme_haishu, com_demo02 pending at sme_ningbo (宁波), com_demo03 in 杭州."""
    return [reports.submitted(e, period) for e in (
        enterprise, Enterprise.objects.get(filler__username="com_demo02"),
        Enterprise.objects.get(filler__username="com_demo03"))]


def test_returns_each_and_refuses_one_that_changed_meanwhile_and_one_outside(three, admins):
    first, second, hangzhou = three
    # Meanwhile 海曙 returns the first report itself: 宁波's choice of it is stale.
    wf.submission_return(submission=first, actor=admins["sme_haishu"], reason="海曙先退回")
    outcome = wf.submissions_return(actor=admins["sme_ningbo"], submission_ids=[first.pk, second.pk, hangzhou.pk],
                                    reason=f"  {REASON} ")
    assert [s.pk for s in outcome.moved] == [second.pk]
    assert [(s.pk, bool(why)) for s, why in outcome.refused] == [(first.pk, True)]
    assert outcome.outside == 1
    for s in three:
        s.refresh_from_db()
    assert (first.status, first.return_reason) == (S.RETURNED, "海曙先退回")
    assert (second.status, second.return_reason) == (S.RETURNED, REASON)
    assert hangzhou.status == S.PENDING
    assert ReviewEvent.objects.filter(action=Action.RETURN, actor=admins["sme_ningbo"]).count() == 1


def test_the_reason_is_required_as_for_one_return(three, admins):
    with pytest.raises(TransitionRefused):
        wf.submissions_return(actor=admins["sme_ningbo"], submission_ids=[three[1].pk], reason="  ")
    three[1].refresh_from_db()
    assert three[1].status == S.PENDING


RETURN_URL = reverse("wagtail_bulk_action", args=["reporting", "submission", "return"])
RECEIVE_URL = reverse("wagtail_bulk_action", args=["reporting", "submission", "receive"])


def test_the_list_ticks_reports_and_the_bulk_return_confirms_then_counts_what_was_returned(client, three, admins, period):
    first, second, hangzhou = three
    client.force_login(admins["sme_ningbo"])
    listing = client.get(reverse("workflow_review:list"), {"month": f"{period:%Y-%m}"}).content.decode()
    # Wagtail's bulk-action checkboxes (the reports' ids) and footer for reporting.Submission.
    assert listing.count('data-testid="select"') == 2 and f'data-object-id="{second.pk}"' in listing
    assert RETURN_URL in listing and RECEIVE_URL in listing
    ids = {"id": [first.pk, second.pk, hangzhou.pk], "next": "/admin/review/"}
    page = client.get(RETURN_URL, ids).content.decode()
    assert "宁波海曙示范机械有限公司" in page and "宁波江北示范软件有限公司" in page
    assert "杭州西湖示范食品有限公司" not in page and "1份所选报表不在您的辖区" in page
    query = f"?id={first.pk}&id={second.pk}&id={hangzhou.pk}&next=/admin/review/"
    empty = client.post(RETURN_URL + query, {"reason": ""})
    assert empty.status_code == 200 and "请填写退回原因。" in empty.content.decode()
    assert ReviewEvent.objects.filter(action=Action.RETURN).count() == 0
    wf.submission_return(submission=first, actor=admins["sme_haishu"], reason="海曙先退回")
    done = client.post(RETURN_URL + query, {"reason": REASON}, follow=True).content.decode()
    assert "已退回1份报表。" in done
    assert "1份报表未退回：宁波海曙示范机械有限公司" in done
    second.refresh_from_db(), hangzhou.refresh_from_db()
    assert second.status == S.RETURNED and hangzhou.status == S.PENDING  # another region's id changes nothing


def test_the_bulk_receive_takes_the_ticked_reports_of_my_region_and_names_the_others(client, three, admins):
    first, second, hangzhou = three
    client.force_login(admins["sme_ningbo"])
    hangzhou_holder = hangzhou.holder_id
    query = f"?id={first.pk}&id={second.pk}&id={hangzhou.pk}&next=/admin/review/"
    page = client.get(RECEIVE_URL + query).content.decode()
    assert 'data-testid="confirm-bulk-receive"' in page and "杭州西湖示范食品有限公司" not in page
    done = client.post(RECEIVE_URL + query, follow=True).content.decode()
    assert "已接收1份报表。" in done  # 宁波 holds the second only; the first waits at 海曙
    assert "1份报表未接收：宁波海曙示范机械有限公司" in done
    for s in three:
        s.refresh_from_db()
    assert second.holder.user.username == "sme_zhejiang"
    assert first.holder.user.username == "sme_haishu"
    assert (hangzhou.holder_id, hangzhou.status) == (hangzhou_holder, S.PENDING)  # another region: unchanged


def test_nothing_ticked_goes_back_with_a_message(client, three, admins):
    client.force_login(admins["sme_ningbo"])
    response = client.get(RETURN_URL, {"next": "/admin/review/"}, follow=True)
    assert "请先勾选报表。" in response.content.decode()
