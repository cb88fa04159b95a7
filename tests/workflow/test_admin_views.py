"""The review back office over HTTP: the list with its filters, receive / return, the month view,
bulk buttons, information-change review and the administrator home."""
import re

import pytest
from django.urls import reverse

from reporting.enums import ChangeStatus
from reporting.periods import month_add
from workflow.enums import Action
from reporting.enums import Screening, SubmissionStatus as S
from workflow.models import ReviewEvent

pytestmark = pytest.mark.django_db

LIST = reverse("workflow_review:list")
# The list's own queries are constant (scope, regions, report types, count, page, its reports: 7); the
# rest is Wagtail's chrome (session, user, permissions, and the menus of every app, which grow as apps
# add menu items), hence the margin.
MAX_QUERIES = 30


@pytest.fixture
def as_admin(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def month(report_type, period, reports, enterprise):
    """com_demo01 pending at sme_haishu (anomalous), com_demo02 pending at sme_ningbo, com_demo03 not filled."""
    from enterprises.models import Enterprise

    reports.approved(enterprise, month_add(period, -1))
    first = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True),
                              explanation="本月回款推迟，累计数据暂按财务口径填报。")
    second_enterprise = Enterprise.objects.get(filler__username="com_demo02")
    second = reports.submitted(second_enterprise, period)
    return {"first": first, "second": second, "period": period, "key": f"{period:%Y-%m}"}


def rows(response):
    return re.findall(r'<tr data-enterprise="([^"]+)"', response.content.decode())


def test_list_shows_every_enterprise_of_the_scope_reported_or_not(as_admin, admins, month):
    client = as_admin(admins["sme_ningbo"])
    response = client.get(LIST, {"month": month["key"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert len(rows(response)) == 2  # 海曙 and 江北; 西湖 (杭州) is outside 宁波
    assert "待审核【sme_haishu】" in html and "待审核【sme_ningbo】" in html
    assert html.count(">本月</a>") == 2 and html.count(">上月</a>") == 2  # a monthly report: months, not 本期
    national = as_admin(admins["sme_admin"]).get(LIST, {"month": month["key"]})
    assert len(rows(national)) == 3
    assert "未填报" in national.content.decode()


def test_only_the_holder_sees_receive_and_return(as_admin, admins, month):
    holder = as_admin(admins["sme_haishu"]).get(LIST, {"month": month["key"]}).content.decode()
    assert reverse("workflow_review:receive", args=[month["first"].pk]) in holder
    ningbo = as_admin(admins["sme_ningbo"]).get(LIST, {"month": month["key"]}).content.decode()
    assert reverse("workflow_review:receive", args=[month["first"].pk]) not in ningbo
    assert reverse("workflow_review:receive", args=[month["second"].pk]) in ningbo


FILTERS = [
    ({"reported": "reported"}, 2),
    ({"reported": "not_reported"}, 1),
    ({"status": "pending"}, 2),
    ({"status": "approved"}, 0),
    ({"screening": "anomalous"}, 1),
    ({"screening": "passed"}, 1),
    ({"entry_method": "online"}, 2),
    ({"entry_method": "admin_import"}, 0),
    ({"region": "330203"}, 1),
    ({"region": "3302"}, 2),
    ({"q": "江北"}, 1),
    ({"q": "91330106"}, 1),
]


def test_filters(as_admin, admins, month):
    client = as_admin(admins["sme_admin"])
    for params, expected in FILTERS:
        response = client.get(LIST, {"month": month["key"], **params})
        assert len(rows(response)) == expected, params


def test_previous_month_filter(as_admin, admins, month):
    response = as_admin(admins["sme_admin"]).get(LIST, {"month": f"{month_add(month['period'], -1):%Y-%m}",
                                                        "status": "approved"})
    assert len(rows(response)) == 1


def test_a_region_outside_the_scope_is_ignored(as_admin, admins, month):
    response = as_admin(admins["sme_ningbo"]).get(LIST, {"month": month["key"], "region": "3301"})
    assert len(rows(response)) == 2  # not a choice for 宁波: the filter falls back to "all"


def test_list_query_count_does_not_grow_with_rows(as_admin, admins, month, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_admin(admins["sme_admin"])
    client.get(LIST)  # warm caches (content types, site)
    counts = {}
    for query, expected_rows in (("江北", 1), ("示范", 3)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"month": month["key"], "q": query})
        assert len(rows(response)) == expected_rows
        counts[query] = len(queries)
    assert counts["江北"] == counts["示范"]  # no query per row
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(LIST, {"month": month["key"]})


def test_list_query_count_with_the_demo(client, demo_reports, django_assert_max_num_queries):
    from accounts.models import User

    client.force_login(User.objects.get(username="sme_admin"))
    client.get(LIST)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(LIST)
    assert response.status_code == 200 and len(rows(response)) >= 3


def test_pagination(as_admin, admins, month, monkeypatch):
    from workflow import admin_views

    monkeypatch.setattr(admin_views, "PER_PAGE", 2)
    client = as_admin(admins["sme_admin"])
    first = client.get(LIST, {"month": month["key"]})
    second = client.get(LIST, {"month": month["key"], "p": 2})
    assert len(rows(first)) == 2 and len(rows(second)) == 1
    assert set(rows(first)).isdisjoint(rows(second))


def test_receive_from_the_list(as_admin, admins, month):
    client = as_admin(admins["sme_haishu"])
    back = f"{LIST}?month={month['key']}"
    response = client.post(reverse("workflow_review:receive", args=[month["first"].pk]), {"next": back})
    assert response.status_code == 302 and response.url == back
    month["first"].refresh_from_db()
    assert month["first"].holder.user.username == "sme_ningbo"
    page = client.get(back).content.decode()
    assert "待审核【sme_ningbo】" in page


def test_receive_by_someone_else_is_refused_with_a_message(as_admin, admins, month):
    client = as_admin(admins["sme_ningbo"])
    response = client.post(reverse("workflow_review:receive", args=[month["first"].pk]), follow=True)
    assert "只有当前持有该报表的管理员" in response.content.decode() or "Only the administrator" in response.content.decode()
    month["first"].refresh_from_db()
    assert month["first"].holder.user.username == "sme_haishu"


def test_return_with_a_reason(as_admin, admins, month):
    client = as_admin(admins["sme_haishu"])
    url = reverse("workflow_review:return", args=[month["first"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200  # the form asks for a reason
    response = client.post(url, {"reason": "营业收入累计数有误，请核实。"})
    assert response.status_code == 302
    month["first"].refresh_from_db()
    assert month["first"].status == S.RETURNED and month["first"].return_reason == "营业收入累计数有误，请核实。"


def test_month_view_shows_profile_tables_failures_note_and_trail(as_admin, admins, month):
    client = as_admin(admins["sme_ningbo"])
    url = reverse("workflow_review:month", args=[month["first"].enterprise_id, month["key"]])
    html = client.get(url).content.decode()
    assert "宁波海曙示范机械有限公司" in html and "91330203" in html
    assert 'data-testid="issues"' in html and "本月回款推迟" in html
    assert "示范产品" in html  # the products table
    # sme_ningbo is not the holder: it may not receive, but may return a report nobody has received yet
    # (what submission_return accepts: the page asks workflow.actions.available_actions).
    assert 'data-testid="receive"' not in html and 'data-testid="return"' in html
    assert html.count("<tr><td>") >= 1 and 'data-testid="events"' in html
    holder = as_admin(admins["sme_haishu"]).get(url).content.decode()
    assert 'data-testid="receive"' in holder and 'data-testid="read-only"' not in holder


def test_last_month_and_not_filled_views(as_admin, admins, month, enterprise):
    client = as_admin(admins["sme_admin"])
    last = client.get(reverse("workflow_review:month", args=[enterprise.pk, f"{month_add(month['period'], -1):%Y-%m}"]))
    assert "审核通过" in last.content.decode()
    empty = client.get(reverse("workflow_review:month", args=[enterprise.pk, f"{month_add(month['period'], -3):%Y-%m}"]))
    assert empty.status_code == 200 and "未填报" in empty.content.decode()
    assert client.get(reverse("workflow_review:month", args=[enterprise.pk, "2026-13"])).status_code == 404


def test_submission_link_redirects_to_the_month_view(as_admin, admins, month):
    response = as_admin(admins["sme_admin"]).get(reverse("workflow_review:submission", args=[month["first"].pk]))
    assert response.status_code == 302 and f"/{month['key']}/" in response.url


def test_one_click_button(as_admin, admins, month):
    client = as_admin(admins["sme_ningbo"])
    assert 'data-testid="receive-all"' in client.get(LIST).content.decode()
    response = client.post(reverse("workflow_review:receive_all"), follow=True)
    assert "1" in response.content.decode()
    month["second"].refresh_from_db()
    assert month["second"].holder.user.username == "sme_zhejiang"


def test_skip_level_button_only_for_the_flag(as_admin, admins, month):
    assert 'data-testid="skip-receive"' not in as_admin(admins["sme_ningbo"]).get(LIST).content.decode()
    client = as_admin(admins["sme_zhejiang"])
    assert 'data-testid="skip-receive"' in client.get(LIST).content.decode()
    response = client.post(reverse("workflow_review:skip_receive"), follow=True)
    html = response.content.decode()
    assert "宁波海曙示范机械有限公司" in html  # the anomalous one stayed, with the reason
    month["first"].refresh_from_db(), month["second"].refresh_from_db()
    assert month["second"].status == S.APPROVED and month["first"].status == S.PENDING
    refused = as_admin(admins["sme_ningbo"]).post(reverse("workflow_review:skip_receive"), follow=True)
    assert refused.status_code == 200
    assert ReviewEvent.objects.filter(action=Action.SKIP_RECEIVE, actor=admins["sme_ningbo"]).count() == 0


# -- information changes -------------------------------------------------------------------------

@pytest.fixture
def frozen(reports, enterprise, period):
    answers = reports.answers(enterprise, period)
    answers["name"] = "宁波海曙示范机械股份有限公司"
    submission = reports.save(enterprise, period, answers=answers)
    assert submission.status == S.FROZEN
    return submission


def test_changes_list_approve(as_admin, admins, frozen, enterprise):
    client = as_admin(admins["sme_ningbo"])
    html = client.get(reverse("workflow_review:changes")).content.decode()
    assert "宁波海曙示范机械股份有限公司" in html and "宁波海曙示范机械有限公司" in html
    change = frozen.changes.get()
    response = client.post(reverse("workflow_review:change_approve", args=[change.pk]))
    assert response.status_code == 302
    enterprise.refresh_from_db(), frozen.refresh_from_db(), change.refresh_from_db()
    assert enterprise.name == "宁波海曙示范机械股份有限公司"
    assert frozen.status == S.UNFROZEN and change.status == ChangeStatus.APPROVED
    assert f'data-change="{change.pk}"' not in client.get(reverse("workflow_review:changes")).content.decode()
    assert f'data-change="{change.pk}"' in client.get(reverse("workflow_review:changes"), {"status": ""}).content.decode()


def test_changes_return_with_a_reason(as_admin, admins, frozen):
    client = as_admin(admins["sme_haishu"])
    change = frozen.changes.get()
    url = reverse("workflow_review:change_return", args=[change.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "名称变更未见工商变更材料。"}).status_code == 302
    frozen.refresh_from_db()
    assert frozen.status == S.RETURNED and frozen.return_reason == "名称变更未见工商变更材料。"


def test_changes_are_scoped(as_admin, admins, frozen, demo_core):
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    other = administrator_create(actor=admins["sme_ningbo"], parent=demo_core["sme_ningbo"], username="sme_jiangbei",
                                 password="Demo@2026sme", mobile="13900000011", region=region_by_code("330205", level=3),
                                 can_review_report=True)
    client = as_admin(other.user)
    assert "宁波海曙示范机械股份有限公司" not in client.get(reverse("workflow_review:changes")).content.decode()
    change = frozen.changes.get()
    assert client.post(reverse("workflow_review:change_approve", args=[change.pk])).status_code == 404


# -- administrator home --------------------------------------------------------------------------

def test_home_panel_counts_per_child_region(as_admin, admins, month):
    client = as_admin(admins["sme_zhejiang"])
    html = client.get(reverse("wagtailadmin_home"), {"month": month["key"]}).content.decode()
    assert 'data-testid="review-home"' in html
    ningbo = re.search(r'<tr data-region="3302">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(\d+)", ningbo)
    # registered, reported, approved, pending, returned, not filled, to be reported
    assert cells == ["2", "2", "0", "2", "0", "0", "0"]
    hangzhou = re.findall(r"<td>(\d+)", re.search(r'<tr data-region="3301">(.*?)</tr>', html, re.S).group(1))
    assert hangzhou == ["1", "0", "0", "0", "0", "1", "1"]


def test_home_panel_on_a_phone_sized_page_for_a_county(as_admin, admins, month):
    html = as_admin(admins["sme_haishu"]).get(reverse("wagtailadmin_home")).content.decode()
    assert '<tr data-region="330203">' in html


def test_screening_anomaly_is_listed_with_the_note(as_admin, admins, month):
    html = as_admin(admins["sme_haishu"]).get(LIST, {"month": month["key"], "screening": Screening.ANOMALOUS}).content.decode()
    assert "本月回款推迟" in html and "wf-issues" in html
