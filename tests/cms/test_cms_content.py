"""Notices, announcements, the glossary, service support and the two home pages."""
import datetime
import json

import pytest
from django.utils import timezone

from cms import selectors
from cms.models import AnnouncementPage, GlossaryPage, NoticeIndexPage, NoticePage, ServiceSupportSettings

pytestmark = pytest.mark.django_db


def publish(index, model, title, date, **kwargs):
    page = index.add_child(instance=model(title=title, date=date, body="<p>正文</p>", **kwargs))
    page.save_revision().publish()
    index.refresh_from_db()
    return page


def test_structure_is_created_once(content):
    from cms.content import content_structure_ensure

    again = content_structure_ensure()
    assert again["notices"].pk == content["notices"].pk
    assert NoticeIndexPage.objects.count() == 1
    assert content["notices"].url == "/notices/"
    assert content["announcements"].url == "/announcements/"
    assert content["glossary"].url == "/glossary/"


def test_latest_items_newest_first_only_live(content):
    publish(content["notices"], NoticePage, "旧通知", datetime.date(2025, 1, 1))
    publish(content["notices"], NoticePage, "新通知", datetime.date(2026, 3, 1))
    draft = content["notices"].add_child(instance=NoticePage(title="草稿通知", date=datetime.date(2026, 4, 1), live=False))
    draft.save_revision()
    scheduled = publish(content["notices"], NoticePage, "定时通知", datetime.date(2026, 5, 1))
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()  # a future go-live date takes the page off the site until then
    titles = [p.title for p in selectors.notices_latest()]
    assert titles == ["新通知", "旧通知"]


def test_unpublish_removes_from_home(client, admins, content):
    notice = publish(content["notices"], NoticePage, "将撤回的通知", datetime.date(2026, 3, 1))
    client.force_login(admins["sme_ningbo"].__class__.objects.get(username="com_demo01"))
    assert "将撤回的通知" in client.get("/").content.decode()
    notice.unpublish()
    assert "将撤回的通知" not in client.get("/").content.decode()


def test_enterprise_home_lists_notices_announcements_support_and_guides(client, admins, content):
    from accounts.models import User
    from cms.demo import seed_demo

    seed_demo()
    publish(content["announcements"], AnnouncementPage, "平台升级公告", datetime.date(2026, 2, 20))
    client.force_login(User.objects.get(username="com_demo01"))
    html = client.get("/").content.decode()
    assert "关于开展优化中小企业发展环境和扶持政策落实情况问卷调查的通知" in html
    assert "2026-03-02" in html
    assert "平台升级公告" in html and "2026-02-20" in html
    support = ServiceSupportSettings.load()
    assert support.hotline in html
    for document in (support.submission_guide, support.user_manual, support.indicator_guide):
        assert document.url in html
        assert client.get(document.url).status_code == 200
    assert 'href="/glossary/"' in html
    assert 'href="/notices/"' in html and 'href="/announcements/"' in html


def test_landing_page_shows_public_notices(client, content):
    publish(content["notices"], NoticePage, "公开通知", datetime.date(2026, 1, 5))
    html = client.get("/").content.decode()
    assert "公开通知" in html and "2026-01-05" in html


def test_admin_home_panel_lists_latest(client, admins, content):
    publish(content["notices"], NoticePage, "管理员首页通知", datetime.date(2026, 3, 8))
    publish(content["announcements"], AnnouncementPage, "管理员首页公告", datetime.date(2026, 3, 9))
    client.force_login(admins["sme_ningbo"])
    html = client.get("/admin/").content.decode()
    assert "管理员首页通知" in html and "2026.03.08" in html
    assert "管理员首页公告" in html and "2026.03.09" in html


def test_index_pages_paginate(client, content, django_assert_max_num_queries):
    for day in range(1, 18):
        publish(content["notices"], NoticePage, f"通知{day:02d}", datetime.date(2026, 1, day))
    with django_assert_max_num_queries(30):
        first = client.get("/notices/").content.decode()
    assert "通知17" in first and "通知03" in first and "通知02" not in first
    second = client.get("/notices/?page=2").content.decode()
    assert "通知02" in second and "通知01" in second and "通知17" not in second
    detail = client.get(NoticePage.objects.get(title="通知17").url)
    assert detail.status_code == 200 and "2026-01-17" in detail.content.decode()


def test_notice_shows_attachments(client, content):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document(title="附件一")
    document.file.save("attachment.txt", ContentFile(b"attachment"), save=False)
    document.save()
    notice = publish(content["notices"], NoticePage, "带附件的通知", datetime.date(2026, 1, 1),
                     attachments=[("document", document)])
    html = client.get(notice.url).content.decode()
    assert "附件一" in html and document.url in html


def test_editor_may_publish_notices_not_administrators(editor, admins, content):
    index = content["notices"]
    assert index.permissions_for_user(editor).can_add_subpage()
    assert index.permissions_for_user(editor).can_publish_subpage()
    assert not index.permissions_for_user(admins["sme_ningbo"]).can_add_subpage()


def test_editor_creates_and_publishes_notice_in_admin(client, editor, content):
    client.force_login(editor)
    url = f"/admin/pages/add/cms/noticepage/{content['notices'].pk}/"
    response = client.post(url, {
        "title": "编辑发布的通知", "slug": "editor-notice", "date": "2026-03-15",
        "body": json.dumps({"blocks": [{"key": "a", "type": "unstyled", "text": "内容", "depth": 0,
                                        "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}),
        "attachments-count": "0", "action-publish": "action-publish",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [p.title for p in selectors.notices_latest()] == ["编辑发布的通知"]


def test_service_support_is_editable_by_editors(client, editor, content):
    client.force_login(editor)
    response = client.get("/admin/settings/cms/servicesupportsettings/")
    assert response.status_code in (200, 302)
    final = client.get(response["Location"]) if response.status_code == 302 else response
    assert final.status_code == 200


# ---------------------------------------------------------------- glossary


DEFINITION = {
    "id": "monthly",
    "title": {"zh-hans": "月度报表"},
    "pages": [
        {"title": "经营指标", "grid": {"rows": [
            {"key": "revenue", "label": {"zh-hans": "营业收入", "en": "Revenue"}, "unit": "千元",
             "description": "企业经营主要业务和其他业务所确认的收入总额。"},
            {"key": "employees", "label": "从业人员", "unit": "人", "help": "期末从业人员人数。"},
            {"key": "revenue", "label": {"zh-hans": "营业收入"}, "unit": "千元"},
        ]}},
        {"title": "说明", "fields": [{"key": "remark", "label": "备注"}]},
    ],
}


def test_glossary_from_definition():
    entries = selectors.glossary_from_definition(DEFINITION)
    assert [(e.name, e.unit) for e in entries] == [("营业收入", "千元"), ("从业人员", "人")]
    assert entries[0].explanation.startswith("企业经营主要业务")
    assert entries[1].explanation == "期末从业人员人数。"


def test_glossary_page_reads_the_monthly_definition(client, content, settings, tmp_path):
    settings.CMS_FORMDEFS_DIR = tmp_path / "definitions"
    settings.CMS_FORMDEFS_DIR.mkdir()
    (settings.CMS_FORMDEFS_DIR / "registration.json").write_text(json.dumps({"fields": [{"label": "名称"}]}))
    (settings.CMS_FORMDEFS_DIR / "monthly_report.json").write_text(json.dumps(DEFINITION), encoding="utf-8")
    html = client.get(GlossaryPage.objects.get().url).content.decode()
    assert "营业收入" in html and "千元" in html and "从业人员" in html and "期末从业人员人数。" in html


def test_glossary_page_without_definition(client, content, settings, tmp_path):
    settings.CMS_FORMDEFS_DIR = tmp_path / "missing"
    response = client.get("/glossary/")
    assert response.status_code == 200


def test_seed_demo_is_idempotent(refdata):
    from accounts.demo import seed_demo as seed_all
    from cms.demo import seed_demo

    assert any("guide" in line for line in seed_all())  # the accounts seed runs every app's demo.seed_demo
    assert seed_demo() == []
    assert NoticePage.objects.count() == 2 and AnnouncementPage.objects.count() == 1
