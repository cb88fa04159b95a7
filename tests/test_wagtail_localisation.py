"""Wagtail's own strings and settings as the platform's users see them (issue 21 §5)."""
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext


def test_pages_stays_wagtails_pages_and_pagination_has_its_own_context():
    # cms once translated the bare msgid "Pages" as 分页, which overrode Wagtail's 页面 in the admin menu.
    with translation.override("zh-hans"):
        assert gettext("Pages") == "页面"
        assert pgettext("pagination", "Pages") == "分页"


def test_account_page_offers_only_shanghai_time(db, client):
    user = get_user_model().objects.create_superuser("root", password="x-Pass-12345")
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_account"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    body = response.content.decode()
    # Wagtail's default lists every zone the OS has, "localtime" among them on Debian, which the
    # browser's Intl API refuses (RangeError) on this page. With one zone Wagtail drops the choice.
    assert "locale-preferred_language" in body  # the 语言 panel rendered
    assert 'name="locale-current_time_zone"' not in body
    assert 'value="localtime"' not in body
