"""Security headers (issue 18 §5): an enforced Content-Security-Policy and a Permissions-Policy on the portal,
the back office and the API; a response's own policy (the library's sandbox) is kept; no template needs
inline code the policy would block."""
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STRICT = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
          "connect-src 'self'", "frame-ancestors 'self'", "form-action 'self'", "base-uri 'self'",
          "object-src 'none'")


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.strip() for part in (p.strip() for p in policy.split(";")) if part}


def assert_strict(response):
    assert "Content-Security-Policy-Report-Only" not in response
    found = directives(response)
    for expected in STRICT:
        assert found[expected.split(" ", 1)[0]].startswith(expected), (expected, found)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_portal_pages_carry_the_policy_and_a_nonce_when_a_page_uses_one(client):
    from django.http import HttpResponse
    from django.test import RequestFactory

    assert_strict(client.get("/accounts/login/"))

    # A page that asks for request.csp_nonce gets it in script-src, so its <script nonce=...> runs.
    from csp.middleware import CSPMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(view)
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_back_office_pages_are_strict_and_wagtail_editing_views_allow_inline_only(client, demo):
    client.force_login(demo["sme_haishu"].user)
    for url in ("/admin/", "/admin/review/", "/admin/analytics/summary/", "/admin/surveys/", "/admin/library/space/personal/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_strict(response)
    from django.contrib.auth.models import Group

    from accounts.enums import EDITOR_GROUP_NAME
    from accounts.models import User
    from cms.content import content_structure_ensure, editor_permissions_ensure

    content_structure_ensure()
    editor_permissions_ensure()
    user = User.objects.create_user(username="editor01", password="x", mobile="13700000001", kind="editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP_NAME))
    client.force_login(user)
    editor = client.get("/admin/pages/", follow=True)
    assert editor.status_code == 200
    found = directives(editor)
    # Wagtail's own views still print inline <script> (its date widgets): inline, but never eval or elsewhere.
    assert found["script-src"] == "script-src 'self' 'unsafe-inline'"
    assert found["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert found["object-src"] == "object-src 'none'" and found["default-src"] == "default-src 'self'"
    assert "camera=()" in editor["Permissions-Policy"]


@pytest.mark.django_db
def test_api_responses_carry_the_policy(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert_strict(response)


def test_the_library_keeps_its_sandbox_policy(client, demo, settings, tmp_path):
    from cms import services
    from cms.enums import LibrarySpace
    from tests.cms.cms_testutils import PNG, make_upload

    settings.CMS_PRIVATE_ROOT = tmp_path / "private"
    ningbo = demo["sme_ningbo"].user
    folder = services.library_root_ensure(actor=ningbo, space=LibrarySpace.PERSONAL)
    image = services.file_upload(actor=ningbo, folder=folder, upload=make_upload("i.png", PNG))
    client.force_login(ningbo)
    response = client.get(f"/admin/library/file/{image.pk}/inline/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
    assert "camera=()" in response["Permissions-Policy"]


TEMPLATE_DIRS = [ROOT / "templates", ROOT / "cms", ROOT / "formdefs", ROOT / "survey_builder", ROOT / "platform"]
INLINE = [
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "inline event handler (use a listener, data- attributes)"),
    (re.compile(r"<script(?![^>]*\b(src|nonce)=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I), "inline <style> (use a static CSS file)"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "style= attribute (use a class, or data-width / data-css-var)"),
    (re.compile(r"href=\"javascript:", re.I), "javascript: link"),
]


def test_no_template_holds_inline_code_the_policy_blocks():
    found = []
    for base in TEMPLATE_DIRS:
        for path in base.rglob("templates/**/*.html") if base.name != "templates" else base.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert found == []


def test_every_back_office_area_of_the_platform_gets_the_strict_policy(settings):
    """The relaxed policy is for Wagtail's own editing views only: each admin URL prefix one of the
    platform's apps registers must be listed in CSP_STRICT_ADMIN_PREFIXES (a new app is caught here)."""
    from wagtail import hooks

    ours = {f"/admin/{pattern.pattern}" for fn in hooks.get_hooks("register_admin_urls")
            if not fn.__module__.startswith("wagtail") for pattern in fn()}
    assert len(ours) >= 10
    missing = sorted(p for p in ours if not p.startswith(tuple(settings.CSP_STRICT_ADMIN_PREFIXES)))
    assert missing == [], f"add these to CSP_STRICT_ADMIN_PREFIXES: {missing}"


def test_data_confirm_is_handled_once():
    """behaviours.js asks for every [data-confirm] on every page; a second handler in an app's script
    would ask twice (a dismissed second dialog silently cancels the action)."""
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    handlers = sorted(str(p.relative_to(root)) for p in root.glob("**/static/**/*.js")
                      if ".venv" not in p.parts and "staticfiles" not in p.parts and "vendor" not in p.parts
                      and re.search(r"dataset\.confirm(?![A-Za-z])|getAttribute\([\"']data-confirm|\[data-confirm\]\"", p.read_text(errors="ignore")))
    assert handlers == ["static/js/behaviours.js"], handlers
