"""Error pages (403, 404, 500, CSRF failure) in the user's language and layout, with the server's own
message, the status and a way back; the back office's branding is the platform's (issue 21 §3, §4)."""
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.test import RequestFactory
from django.utils import translation

from accounts.models import User
from config.errors import page_not_found, permission_denied, server_error
from tests.enterprises.conftest import answers, make_user, register  # noqa: F401

pytestmark = pytest.mark.django_db

SITE = "中小企业生产经营运行监测平台"


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response) -> str:
    return response.content.decode()


def visible(html: str) -> str:
    """The page's visible text: no tags, scripts, templates or JSON props."""
    html = re.sub(r"(?s)<(script|style|template|noscript)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_404_in_the_portal_layout_in_chinese_then_english_with_the_way_back_and_login(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = text(response)
    assert 'class="site-header"' in page and 'lang="zh-hans"' in page
    for part in ("页面不存在", "错误代码 404", "返回上一页", ">首页<", 'href="/accounts/login/?next=/no-such-page/"', "登录"):
        assert part in page
    assert "Not Found" not in visible(page)

    page = text(english(client).get("/no-such-page/"))
    for part in ("Page not found", "Error code 404", "Go back", "Home", "Log in"):
        assert part in page
    assert "页面不存在" not in page


def test_403_shows_the_message_our_code_gave_in_the_portal_layout(client, register):
    enterprise = register()  # pending: 当期报送 is refused with the reason
    client.force_login(enterprise.user)
    response = client.get("/reports/current/")
    assert response.status_code == 403
    page = text(response)
    assert "无权访问" in page and "错误代码 403" in page and 'role="alert"' in page
    with translation.override("zh-hans"):
        assert translation.gettext("Your enterprise's registration has not been approved yet.") in page
    assert ">首页<" in page and "返回上一页" in page and "/accounts/login/" not in page  # logged in: no 登录
    # no dead end: who reviews the registration, and the way to its status
    assert "注册信息待海曙区经济和信息化局审核" in page and 'href="/enterprise/registration/"' in page

    page = text(english(client).get("/reports/current/"))
    assert "Access denied" in page and "Your enterprise&#x27;s registration has not been approved yet." in page


def test_the_back_office_uses_wagtails_layout_for_an_administrator_and_a_plain_one_otherwise(client, admins):
    client.force_login(admins["sme_haishu"])
    page = text(client.get("/admin/no-such-page/"))
    assert "data-wagtail-sidebar" in page  # Wagtail's admin layout with its menu
    assert "页面不存在" in page and "错误代码 404" in page and 'href="/admin/"' in page and "后台首页" in page
    assert re.search(r"<title>\s*页面不存在 - " + SITE + r"\s*</title>", page)
    # No Wagtail header on this page: its stylesheet moves the heading clear of the phone's menu toggle.
    assert "css/admin_errors.css" in page

    # Someone not logged in to the back office (Wagtail itself redirects most of them to the login).
    request = RequestFactory().get("/admin/reports/")
    request.user = AnonymousUser()
    with translation.override("en"):
        page = permission_denied(request, None).content.decode()
    assert "data-wagtail-sidebar" not in page and "Back office" in page
    assert "Access denied" in page and "Error code 403" in page and "Back-office home" in page and "Log in" in page


def test_only_messages_our_code_raised_are_shown_never_django_internals():
    request = RequestFactory().get("/reports/42/")
    request.user = AnonymousUser()
    try:
        get_object_or_404(User, pk=-1)
    except Exception as exc:  # Django's "No User matches the given query."
        internal_404 = exc
    try:
        raise PermissionDenied("secret internal detail")  # raised outside the platform's source
    except PermissionDenied as exc:
        internal_403 = exc
    with translation.override("zh-hans"):
        page404 = page_not_found(request, internal_404).content.decode()
        page403 = permission_denied(request, internal_403).content.decode()
    assert "页面不存在" in page404 and "matches the given query" not in page404 and 'role="alert"' not in page404
    assert "无权访问" in page403 and "secret internal detail" not in page403


def test_500_renders_without_the_database_or_request_context_in_both_languages(django_assert_num_queries):
    request = RequestFactory().get("/admin/reports/")  # no session, no user: Django's server_error contract
    with django_assert_num_queries(0):
        with translation.override("zh-hans"):
            zh = server_error(request)
        with translation.override("en"):
            en = server_error(request)
    assert zh.status_code == en.status_code == 500
    zh, en = zh.content.decode(), en.content.decode()
    assert "服务器错误" in zh and "错误代码 500" in zh and "返回上一页" in zh and "后台首页" in zh
    assert "Server error" in en and "Error code 500" in en and "Go back" in en
    assert "Server Error (500)" not in zh + en


def test_a_csrf_failure_says_the_input_was_not_saved_and_to_reload(client, settings):
    from django.test import Client

    settings.CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = text(response)
    assert "页面已过期" in page and "未保存" in page and "刷新页面" in page and "错误代码 403" in page
    assert "CSRF" not in visible(page)
    csrf_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(csrf_client.post("/accounts/login/", {"username": "x"}))
    assert "The page has expired" in page and "was not saved" in page


def test_the_back_office_shows_the_platforms_name_logo_and_guides_not_wagtails(client, admins):
    from cms.models import ServiceSupportSettings
    from wagtail.documents.models import Document
    from django.core.files.base import ContentFile

    guide = Document.objects.create(title="报送指南", file=ContentFile(b"%PDF-1.4", name="guide.pdf"))
    support = ServiceSupportSettings.load()
    support.submission_guide = guide
    support.save()
    client.force_login(admins["sme_admin"])
    page = text(client.get("/admin/"))
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert SITE in title and "Wagtail" not in title
    assert "/static/img/logo.svg" in page  # the sidebar logo and the tab icon
    assert "Wagtail" not in visible(page)  # no "Wagtail x.y editor guide", no "Welcome to Wagtail"
    assert guide.url in page  # the help menu and the dashboard point to the platform's guide
    assert "guide.wagtail.org" not in page and "wagtail.org" not in page


def test_the_outage_503_page_matches_the_other_error_pages_in_both_languages():
    from django.db import OperationalError

    from ops.middleware import DatabaseUnavailableMiddleware

    request = RequestFactory().get("/reports/")
    for language, parts in (("zh-hans", ("服务暂时不可用", "错误代码 503", "返回上一页", "/static/img/logo.svg")),
                            ("en", ("Service temporarily unavailable", "Error code 503", "Go back"))):
        with translation.override(language):
            response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, OperationalError("gone"))
        assert response.status_code == 503
        for part in parts:
            assert part in response.content.decode(), (language, part)
