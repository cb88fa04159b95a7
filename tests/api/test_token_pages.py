"""Creating and revoking tokens in the portal (/api/tokens/) and the back office (/admin/api-tokens/)."""
import re

import pytest

from api.models import ApiToken
from api.selectors import token_digest

pytestmark = pytest.mark.django_db


def test_enterprise_user_creates_sees_once_and_revokes(client, filler, enterprise):
    client.force_login(filler)
    profile = client.get("/accounts/profile/").content.decode()
    assert 'href="/api/tokens/"' in profile and "接口令牌" in profile
    page = client.get("/api/tokens/")
    assert page.status_code == 200 and "尚无令牌" in page.content.decode()

    created = client.post("/api/tokens/", {"name": "ERP", "enterprise": enterprise.pk}).content.decode()
    secret = re.search(r'class="api-secret-value">(smep_[\w-]+)<', created).group(1)
    assert "只显示这一次" in created
    token = ApiToken.objects.get()
    assert token.digest == token_digest(secret) and secret not in (token.prefix, token.digest)
    assert token.enterprise == enterprise and token.user == filler
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    listed = client.get("/api/tokens/").content.decode()
    assert secret not in listed and token.prefix in listed and "有效" in listed

    response = client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)
    assert "已吊销" in response.content.decode()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_bad_names_and_foreign_enterprises_are_refused(client, filler, demo_core):
    from enterprises.models import Enterprise

    client.force_login(filler)
    other = Enterprise.objects.exclude(filler=filler).first()
    page = client.post("/api/tokens/", {"name": "", "enterprise": other.pk}).content.decode()
    assert "必需字段" in page and "该选择不在可用的选项中" in page
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, filler, admins, make_api):
    api = make_api(admins["sme_ningbo"])
    client.force_login(filler)
    assert client.post(f"/api/tokens/{api.token.pk}/revoke/").status_code == 404
    api.token.refresh_from_db()
    assert api.token.revoked_at is None


def test_only_fillers_and_administrators(client, admins, demo_core):
    from accounts.models import User

    nobody = User.objects.create_user(username="plainuser1", password="x", mobile="13911112222")
    client.force_login(nobody)
    assert client.get("/api/tokens/").status_code == 403
    from api.services import token_create
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(actor=nobody, name="x")
    assert client.get("/admin/api-tokens/").status_code in (302, 403)


def test_administrator_page_in_the_back_office(client, admins):
    client.force_login(admins["sme_ningbo"])
    home = client.get("/admin/").content.decode()
    # The sidebar is JSON: 数据对接 → 接口令牌, shown to administrators.
    assert '"label": "\\u6570\\u636e\\u5bf9\\u63a5"' in home and '"url": "/admin/api-tokens/"' in home
    page = client.post("/admin/api-tokens/", {"name": "宁波市平台"})
    assert page.status_code == 200 and "只显示这一次" in page.content.decode()
    token = ApiToken.objects.get()
    assert token.user == admins["sme_ningbo"] and token.enterprise is None
    client.post(f"/admin/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_docs_and_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["version"] == "1" and "/api/v1/reports/{key}/{enterprise_id}/{period}/submit" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert client.get("/api/v1/docs").status_code == 200
