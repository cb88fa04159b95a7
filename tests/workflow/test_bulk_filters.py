"""一键接收 and 越级接收 act on what the list shows (its report type and month), never take a report with a
data anomaly, and the buttons confirm with the count and the month (issue 21 §4)."""
import pytest
from django.urls import reverse

from reporting.enums import Screening, SubmissionStatus as S
from reporting.periods import month_add
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from workflow import services as wf

pytestmark = pytest.mark.django_db
LIST = "/admin/review/"


@pytest.fixture
def waiting(reports, enterprise, period):
    """com_demo01's reports held by sme_haishu: two months ago (passed) and this month (anomalous against last
    month's approved one); com_demo02's of this month held by sme_ningbo."""
    from enterprises.models import Enterprise

    reports.approved(enterprise, month_add(period, -1))
    earlier = reports.submitted(enterprise, month_add(period, -2))
    assert earlier.screening == Screening.PASSED
    anomalous = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True))
    assert anomalous.screening == Screening.ANOMALOUS
    jiangbei = reports.submitted(Enterprise.objects.get(filler__username="com_demo02"), period)
    return {"earlier": earlier, "anomalous": anomalous, "jiangbei": jiangbei}


def test_one_click_never_takes_an_anomalous_report(waiting, admins):
    outcome = wf.submissions_receive_all(actor=admins["sme_haishu"])
    assert [s.pk for s in outcome.moved] == [waiting["earlier"].pk]
    assert [(s.pk, why) for s, why in outcome.refused] == [(waiting["anomalous"].pk, "数据异常，须逐一接收。")]
    waiting["anomalous"].refresh_from_db()
    assert waiting["anomalous"].status == S.PENDING and waiting["anomalous"].holder.user.username == "sme_haishu"


def test_one_click_takes_only_the_report_type_and_month_given(waiting, admins, report_type, period):
    outcome = wf.submissions_receive_all(actor=admins["sme_haishu"], report_type=report_type, period=period)
    assert outcome.moved == []  # this month's only report is anomalous; the earlier one is not this month
    waiting["earlier"].refresh_from_db()
    assert waiting["earlier"].holder.user.username == "sme_haishu"


def test_the_list_posts_its_filters_and_the_button_confirms_with_count_and_month(client, waiting, admins,
                                                                                 report_type, period):
    client.force_login(admins["sme_haishu"])
    key = f"{month_add(period, -2):%Y-%m}"
    html = client.get(LIST, {"month": key, "report_type": report_type.pk}).content.decode()
    assert f'name="month" value="{key}"' in html and f'name="report_type" value="{report_type.pk}"' in html
    import re
    button = re.search(r'data-testid="receive-all"[^>]*>(.*?)</button>', html, re.S).group(1)
    assert button.strip().endswith("(1)")
    # Wagtail's confirm dialog names the count and the month.
    assert re.search(r'data-testid="receive-all-question">确定一键接收\S*的 1 份报表', html)

    this_month = client.get(LIST, {"month": f"{period:%Y-%m}", "report_type": report_type.pk}).content.decode()
    assert "另有 1 份数据异常的报表须逐一接收" in this_month  # the confirm text names what stays
    # Received from this month's list: nothing moves (the earlier report is not shown there).
    client.post(reverse("workflow_review:receive_all"), {"month": f"{period:%Y-%m}", "report_type": report_type.pk})
    waiting["earlier"].refresh_from_db()
    assert waiting["earlier"].holder.user.username == "sme_haishu"
    # From its own month's list it moves up.
    client.post(reverse("workflow_review:receive_all"), {"month": key, "report_type": report_type.pk})
    waiting["earlier"].refresh_from_db()
    assert waiting["earlier"].holder.user.username == "sme_ningbo"


def test_skip_receive_takes_only_the_lists_month(client, waiting, admins, report_type, period):
    client.force_login(admins["sme_zhejiang"])
    client.post(reverse("workflow_review:skip_receive"), {"month": f"{period:%Y-%m}", "report_type": report_type.pk})
    for key in ("earlier", "anomalous", "jiangbei"):
        waiting[key].refresh_from_db()
    assert waiting["jiangbei"].status == S.APPROVED
    assert waiting["earlier"].status == S.PENDING  # another month: not on the list it was sent from
    assert waiting["anomalous"].status == S.PENDING


def test_the_list_offers_only_the_report_types_filed_in_the_reviewers_region(client, admins, report_type):
    """上海市's own report is not offered to 宁波市's reviewer (nor a type that leaves 宁波市 out); the national
    reviewer sees every type."""
    from reporting.models import ReportType

    ReportType.objects.create(key="shanghai", title="上海市月报", definition=report_type.definition,
                              region_prefixes=["31"])
    ReportType.objects.create(key="not_ningbo", title="宁波除外月报", definition=report_type.definition,
                              region_excluded_prefixes=["3302"])
    client.force_login(admins["sme_ningbo"])
    html = client.get(LIST).content.decode()
    assert report_type.title in html and "上海市月报" not in html and "宁波除外月报" not in html
    client.force_login(admins["sme_admin"])
    html = client.get(LIST).content.decode()
    assert "上海市月报" in html and "宁波除外月报" in html
