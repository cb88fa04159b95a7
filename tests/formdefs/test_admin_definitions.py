"""报表定义 in the admin: list with versions in Shanghai time, upload checked by `formdef check` (problems
by JSON path, nothing saved), preview, 启用 with a confirm; only superusers and the national administrator."""
import copy
import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from formdefs.enums import VersionStatus
from formdefs.models import FormVersion
from formdefs.services import DEFINITION_UPLOAD_MAX_BYTES, DefinitionInvalid, formdef_upload, formdef_version_enable

from .conftest import load

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name="definition.json"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("formdefs_admin:upload"), {"file": SimpleUploadedFile(name, content, "application/json")})


def as_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def national(demo_core):
    return demo_core["sme_admin"].user


@pytest.fixture
def admin_client(client, national):
    client.force_login(national)
    return client


@pytest.fixture
def published(db):
    """Two shipped definitions published through the service (a report and a questionnaire): {key: FormVersion}."""
    from formdefs.services import formdef_publish_document

    return {key: formdef_publish_document(document=load(key)) for key in ("software_monthly_report", "sme_business_climate")}


@pytest.fixture
def software_v2(published):
    """The shipped software monthly report as the next version after the published one."""
    document = copy.deepcopy(load("software_monthly_report"))
    document["version"] = published["software_monthly_report"].number + 1
    document["title"] = "软件和信息技术服务业企业月报（新版）"
    return document


def test_the_list_shows_each_definition_with_its_versions_in_shanghai_time(admin_client, published):
    response = admin_client.get(reverse("formdefs_admin:list"))
    assert response.status_code == 200
    html = response.content.decode()
    for key, version in published.items():
        if key != "sme_business_climate":
            assert f'data-key="{key}" data-version="{version.number}" data-status="published"' in html
    assert "sme_business_climate" not in html  # a questionnaire: the designer's
    # Published on the pinned day around 10:00 Shanghai (02:00 UTC; the shipped definitions are published
    # when the test database is made): the page says the Shanghai time, never the UTC one.
    version = published["software_monthly_report"]
    local, utc = version.published_at.astimezone(SHANGHAI), version.published_at.astimezone(datetime.timezone.utc)
    assert utc.hour == 2
    assert local.strftime("%Y-%m-%d %H:%M") in html and utc.strftime("%H:%M") not in html


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_definitions(admin_client, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from formdefs.services import formdef_publish_document

    url = reverse("formdefs_admin:list")
    admin_client.get(url)  # the session and the menus' first reads
    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    formdef_publish_document(document=load("enterprise_registration"))
    with CaptureQueriesContext(connection) as after:
        assert "enterprise_registration" in admin_client.get(url).content.decode()
    assert len(after) == len(before) <= 25


def test_upload_saves_a_checked_draft_and_enable_publishes_it(admin_client, published, software_v2):
    response = upload(admin_client, as_bytes(software_v2))
    draft = FormVersion.objects.get(definition__key="software_monthly_report", number=software_v2["version"])
    assert draft.status == VersionStatus.DRAFT
    assert response.status_code == 302 and response.url == reverse("formdefs_admin:version", args=[draft.pk])
    page = admin_client.get(response.url).content.decode()
    assert 'data-testid="check-ok"' in page and reverse("formdefs:preview", args=[draft.pk]) in page
    assert "data-confirm=" in page and reverse("formdefs_admin:enable", args=[draft.pk]) in page
    # The preview of the draft opens for the national administrator (formdefs/views/preview.py).
    assert admin_client.get(reverse("formdefs:preview", args=[draft.pk])).status_code == 200

    response = admin_client.post(reverse("formdefs_admin:enable", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    old = published["software_monthly_report"]
    old.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and old.status == VersionStatus.RETIRED
    assert 'data-testid="enable"' not in admin_client.get(reverse("formdefs_admin:version", args=[draft.pk])).content.decode()


@pytest.mark.parametrize("content, expected", [
    (b'{"id": "x", "version": 1,', "第 1 行"),
    ("{\"id\": \"测试\"}".encode("gbk"), "UTF-8"),
    (b"[" + b" " * DEFINITION_UPLOAD_MAX_BYTES + b"]", "1.0"),
], ids=["bad JSON", "not UTF-8", "too large"])
def test_an_unreadable_file_is_refused_with_a_message_and_nothing_is_saved(admin_client, published, content, expected):
    count = FormVersion.objects.count()
    response = upload(admin_client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="problems"' in html and expected in html
    assert FormVersion.objects.count() == count


def test_check_problems_are_listed_by_json_path_and_nothing_is_saved(admin_client, published, software_v2):
    software_v2["rules"][0]["expr"] = "cur.rev.nowhere.month > 0.0"
    software_v2["steps"][0]["sections"][0]["fields"][1]["type"] = "slider"
    count = FormVersion.objects.count()
    html = upload(admin_client, as_bytes(software_v2)).content.decode()
    assert "<code>$.steps[0].sections[0].fields[1].type</code>" in html
    assert FormVersion.objects.count() == count


def test_a_version_below_the_published_one_or_a_changed_published_version_is_refused(national, published, software_v2):
    software_v2["version"] -= 2
    with pytest.raises(DefinitionInvalid) as refused:
        formdef_upload(content=as_bytes(software_v2), actor=national)
    assert refused.value.problems[0].path == "$.version"
    questionnaire = load("sme_business_climate")
    questionnaire["version"] = 9
    with pytest.raises(DefinitionInvalid) as refused:
        formdef_upload(content=as_bytes(questionnaire), actor=national)
    assert refused.value.problems[0].path == "$.kind"


def test_only_superusers_and_the_national_administrator_manage_definitions(client, demo_core, published, software_v2):
    from accounts.models import User

    provincial = demo_core["sme_zhejiang"].user
    with pytest.raises(PermissionDenied):
        formdef_upload(content=as_bytes(software_v2), actor=provincial)
    with pytest.raises(PermissionDenied):
        formdef_version_enable(version=published["software_monthly_report"], actor=provincial)
    client.force_login(provincial)
    # Wagtail answers a refusal in its admin with a redirect to the dashboard and a message.
    assert client.get(reverse("formdefs_admin:list")).status_code in (302, 403)
    assert upload(client, as_bytes(software_v2)).status_code in (302, 403)
    assert not FormVersion.objects.filter(definition__key="software_monthly_report", number=software_v2["version"]).exists()
    client.force_login(User.objects.get(username="com_demo01"))
    assert client.get(reverse("formdefs_admin:list")).status_code in (302, 403)

    superuser = User.objects.create_superuser(username="root", password="x", mobile="13900000000")
    assert formdef_upload(content=as_bytes(software_v2), actor=superuser).status == VersionStatus.DRAFT


SOFTWARE_ANSWERS = {
    "rev": {row: {"month": 10.0, "ytd": 100.0, "ly_ytd": 90.0} for row in ("products", "services", "security", "embedded")}
    | {"total": {"month": 40.0, "ytd": 400.0, "ly_ytd": 360.0}},
    "main_revenue": 500.0, "profit": 50.0, "employees": 100, "staff_master": 10, "staff_bachelor": 60, "staff_other": 30,
}


def test_reports_keep_the_version_they_were_approved_in_after_a_new_one_is_enabled(admin_client, demo_core, published, software_v2):
    from accounts.models import User
    from formdefs.models import FormDefinition
    from reporting.models import ReportType
    from reporting.periods import month_add, period_current
    from reporting.services import report_save, report_submit
    from workflow.services import submission_receive

    report_type = ReportType.objects.create(key="software_monthly", title="软件和信息技术服务业企业月报",
                                            definition=FormDefinition.objects.get(key="software_monthly_report"))
    enterprise = User.objects.get(username="com_demo01").filled_enterprises.get()
    period = period_current(report_type)
    submission = report_save(report_type=report_type, enterprise=enterprise, period=month_add(period, -1),
                             answers=SOFTWARE_ANSWERS, actor=enterprise.filler)
    submission = report_submit(submission=submission, actor=enterprise.filler)
    while submission.status == "pending":
        submission = submission_receive(submission=submission, actor=submission.holder.user)
    assert submission.status == "approved"
    first = published["software_monthly_report"]
    assert submission.version == first

    draft = formdef_upload(content=as_bytes(software_v2), actor=demo_core["sme_admin"].user)
    admin_client.post(reverse("formdefs_admin:enable", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    submission.refresh_from_db()
    assert submission.version == first and submission.status == "approved"
    later = report_save(report_type=report_type, enterprise=enterprise, period=period, answers=SOFTWARE_ANSWERS,
                        actor=enterprise.filler)
    assert later.version == draft
