"""A report type is data (issue 19 §2): a superuser creates one in the back office (the snippet viewset) on
a published definition; the enterprises it applies to see it beside the monthly report, fill it through the
wizard, the reviewer receives it, an Excel import of the next period works and the summary adds it up —
without code. The enterprises it does not apply to never see it."""
import copy

import pytest
from django.urls import reverse

from reporting.enums import EntryMethod, SubmissionStatus as S
from reporting.models import ReportType, Submission
from reporting.periods import month_add
from tests.reporting.test_excel_views import NUMBERS, fill, grid_sheet  # noqa: F401 (grid_sheet used by fill)
from tests.reporting.test_views import walk_wizard

pytestmark = pytest.mark.django_db

PILOT = "ningbo_pilot"
TITLE = "宁波市中小企业运行监测月报（试点）"


@pytest.fixture
def pilot_definition(report_type):
    """A second report definition, published through the formdefs services: the monthly report's document
    (with its `analytics` block, which tells the summary where the indicators are) under another key."""
    from formdefs.selectors import version_current
    from formdefs.services import formdef_publish_document

    document = copy.deepcopy(version_current(key=report_type.definition.key).document)
    assert document["analytics"]["grid"] == "ind"
    document.update(id="ningbo_pilot_report", title=TITLE, version=1, kind="report")
    return formdef_publish_document(document=document).definition


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="x-Pass-12345", email="")


def ningbo():
    from regions.selectors import region_by_code

    return region_by_code("330200", level=2)


def admin_create(client, user, on, **changes):
    """POST the back office's 报表类型 create form (the snippet viewset) on the definition `on`, as `user`."""
    client.force_login(user)
    data = {"title": TITLE, "key": PILOT, "definition": on.pk, "frequency": "monthly", "due_day": 15,
            "backfill_years": 1, "is_active": "on", "region_prefixes": [ningbo().pk]}
    data.update(changes)
    return client.post(reverse("wagtailsnippets_reporting_reporttype:add"), data)


def portal(client, user):
    client.force_login(user)
    return client


def test_a_report_type_created_in_the_admin_is_filled_reviewed_imported_and_summarised(
        client, superuser, pilot_definition, reports, enterprise, filler, period, admins):
    from accounts.models import User
    from accounts.selectors import admin_scope
    from analytics.selectors.summary import summary_compute
    from workflow.services import submission_receive

    response = admin_create(client, superuser, pilot_definition)
    assert response.status_code == 302, response.content.decode()[:2000]
    pilot = ReportType.objects.get(key=PILOT)
    assert (pilot.definition, pilot.region_prefixes, pilot.due_day, pilot.by_task_only) == (pilot_definition, ["3302"], 15, False)

    # 宁波海曙 (com_demo01) files both types: the switcher shows them; 杭州西湖 (com_demo03) files one and sees none.
    web = portal(client, filler)
    home = web.get("/").content.decode()
    assert 'data-testid="report-types"' in home and TITLE in home and "中小企业生产经营运行监测月报" in home
    elsewhere = User.objects.get(username="com_demo03")
    other = portal(client, elsewhere)
    assert 'data-testid="report-types"' not in other.get("/").content.decode()
    assert other.get(reverse("reporting:fill", args=[PILOT, f"{period:%Y-%m}"])).status_code == 404
    # A link naming a type it does not file falls back to its own first one.
    assert other.get(reverse("reporting:current"), {"type": PILOT}).url == reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])

    # The month before 当期 through the wizard, then 上报 (the questionnaires of the month are answered).
    web = portal(client, filler)
    previous = month_add(period, -1)
    assert web.get(reverse("reporting:current"), {"type": PILOT}).url == reverse("reporting:fill", args=[PILOT, f"{period:%Y-%m}"])
    fill_url = reverse("reporting:fill", args=[PILOT, f"{previous:%Y-%m}"])
    walk_wizard(web, fill_url, reports.answers(enterprise, previous))
    reports.answer_questionnaire(enterprise, previous)
    response = web.post(reverse("reporting:submit", args=[PILOT, f"{previous:%Y-%m}"]))
    assert response.url == reverse("reporting:history") + f"?type={PILOT}"
    submission = Submission.objects.get(report_type=pilot, enterprise=enterprise, period=previous)
    assert submission.status == S.PENDING and submission.holder.user.username == "sme_haishu"
    history = web.get(reverse("reporting:history"), {"type": PILOT}).content.decode()
    assert f'data-period="{previous:%Y-%m}"' in history and "待审核【海曙区经济和信息化局】" in history

    # The county reviewer finds it in the review list of the type and receives it; the tree approves it.
    review = portal(client, admins["sme_haishu"])
    listing = review.get(reverse("workflow_review:list"), {"report_type": pilot.pk, "month": f"{previous:%Y-%m}"})
    body = listing.content.decode()
    assert enterprise.name in body and "杭州西湖示范食品有限公司" not in body
    assert review.post(reverse("workflow_review:receive", args=[submission.pk])).status_code == 302
    submission.refresh_from_db()
    while submission.status == S.PENDING:
        submission = submission_receive(submission=submission, actor=submission.holder.user)
    assert submission.status == S.APPROVED

    # 当期 by 上报导入 of the type: its template, filled, uploaded.
    web = portal(client, filler)
    page = web.get(reverse("reporting:import"), {"type": PILOT}).content.decode()
    assert reverse("reporting:template", args=[PILOT]) in page
    template = web.get(reverse("reporting:template", args=[PILOT]), {"period": f"{period:%Y-%m}"})
    rows = ["工业总产值", "用电量", "营业收入", "营业成本", "应收账款", "利润总额", "从业人员"]
    content = fill(template.content, {row: dict(NUMBERS) for row in rows})
    from tests.reporting.test_excel_views import upload

    response = upload(web, period, content, name="pilot.xlsx", url=reverse("reporting:import") + f"?type={PILOT}")
    imported = Submission.objects.get(report_type=pilot, enterprise=enterprise, period=period)
    assert response.status_code == 302 and response.url == reverse("reporting:detail", args=[imported.pk])
    assert imported.entry_method == EntryMethod.IMPORT

    # The summary of the type adds up its own reports only (the monthly report of the same month differs).
    reports.save(enterprise, period, answers=reports.answers(enterprise, period, scale=3))
    scope = admin_scope(admins["sme_admin"])
    summary = summary_compute(scope=scope, report_type=pilot, period=period, indicators=["revenue"])
    assert summary.total.enterprises == 1 and float(summary.total.current["revenue"]) == NUMBERS["本年1-本月"]
    earlier = summary_compute(scope=scope, report_type=pilot, period=previous, indicators=["revenue"])
    expected = reports.answers(enterprise, previous)["ind"]["revenue"]["ytd"]
    assert earlier.total.enterprises == 1 and float(earlier.total.current["revenue"]) == pytest.approx(expected)


def test_only_superusers_and_the_national_administrator_manage_report_types(client, pilot_definition, admins):
    add = reverse("wagtailsnippets_reporting_reporttype:add")
    province = admins["sme_zhejiang"]
    client.force_login(province)
    assert client.get(add).status_code in (302, 403)
    admin_create(client, province, pilot_definition)
    assert not ReportType.objects.filter(key=PILOT).exists()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailsnippets_reporting_reporttype:list") not in menu

    national = admins["sme_admin"]
    assert admin_create(client, national, pilot_definition).status_code == 302
    assert ReportType.objects.filter(key=PILOT).exists()
    assert reverse("wagtailsnippets_reporting_reporttype:list") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_bad_input_is_refused_with_chinese_messages_naming_the_field(client, superuser, pilot_definition, report_type):
    from formdefs.models import FormDefinition

    questionnaire = FormDefinition.objects.exclude(kind="report").first()
    response = admin_create(client, superuser, pilot_definition, key="sme_monthly", due_day=31, title="",
                            definition=questionnaire.pk)
    assert response.status_code == 200
    body = response.content.decode()
    for message in ("标识：已有报表类型使用“sme_monthly”", "截止日：请填写 1 到 28 之间的日期", "报表名称：请填写报表名称",
                    "表单定义：请选择已发布的报表定义"):
        assert message in body, message
    assert ReportType.objects.count() == 1


def test_regions_left_out_are_stored_as_prefixes_and_may_not_contain_a_chosen_region(client, superuser, pilot_definition):
    from regions.selectors import region_by_code

    zhejiang, haishu_city = region_by_code("330000", level=1), ningbo()
    response = admin_create(client, superuser, pilot_definition, region_prefixes=[haishu_city.pk],
                            region_excluded_prefixes=[zhejiang.pk])
    assert "排除地区：所排除的地区包含了已选填报地区" in response.content.decode()
    assert not ReportType.objects.filter(key=PILOT).exists()
    admin_create(client, superuser, pilot_definition, region_prefixes=[zhejiang.pk],
                 region_excluded_prefixes=[haishu_city.pk])
    pilot = ReportType.objects.get(key=PILOT)
    assert (pilot.region_prefixes, pilot.region_excluded_prefixes) == (["33"], ["3302"])


def test_the_edit_page_shows_the_definition_version_history_in_beijing_time(client, superuser, pilot_definition):
    from django.utils import timezone

    admin_create(client, superuser, pilot_definition)
    pilot = ReportType.objects.get(key=PILOT)
    body = client.get(reverse("wagtailsnippets_reporting_reporttype:edit", args=[pilot.pk])).content.decode()
    version = pilot_definition.versions.get()
    assert 'data-testid="definition-versions"' in body and "v1" in body
    assert timezone.localtime(version.published_at).strftime("%Y-%m-%d %H:%M") in body
    # The key is kept: a POST that changes it changes nothing.
    client.post(reverse("wagtailsnippets_reporting_reporttype:edit", args=[pilot.pk]), {
        "title": TITLE, "key": "renamed", "definition": pilot_definition.pk, "frequency": "monthly", "due_day": 10,
        "backfill_years": 1, "is_active": "on"})
    pilot.refresh_from_db()
    assert (pilot.key, pilot.due_day, pilot.region_prefixes) == (PILOT, 10, [])
