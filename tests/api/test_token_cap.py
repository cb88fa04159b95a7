"""A user holds at most API_TOKENS_PER_USER active tokens (issue 18 §5): one more is refused with a
message in the service, on the portal page and on the back-office page; revoking one frees a place."""
import pytest
from django.core.exceptions import ValidationError

from api.models import ApiToken
from api.services import token_create, token_revoke

pytestmark = pytest.mark.django_db

REFUSED = "您已有 2 个有效的接口令牌"


def test_the_service_refuses_a_token_beyond_the_cap_until_one_is_revoked(filler, enterprise, settings):
    settings.API_TOKENS_PER_USER = 2
    first = token_create(actor=filler, name="ERP", enterprise=enterprise).token
    token_create(actor=filler, name="MES", enterprise=enterprise)
    with pytest.raises(ValidationError) as refused:
        token_create(actor=filler, name="WMS", enterprise=enterprise)
    assert "2" in " ".join(refused.value.messages)
    assert ApiToken.objects.filter(user=filler).count() == 2

    token_revoke(token=first, actor=filler)
    assert token_create(actor=filler, name="WMS", enterprise=enterprise).token.name == "WMS"


def test_the_default_cap_is_five(filler, enterprise):
    for i in range(5):
        token_create(actor=filler, name=f"系统{i}", enterprise=enterprise)
    with pytest.raises(ValidationError):
        token_create(actor=filler, name="第六个", enterprise=enterprise)


def test_the_portal_page_says_why(client, filler, enterprise, settings):
    settings.API_TOKENS_PER_USER = 2
    client.force_login(filler)
    for name in ("ERP", "MES"):
        assert "只显示这一次" in client.post("/api/tokens/", {"name": name, "enterprise": enterprise.pk}).content.decode()
    page = client.post("/api/tokens/", {"name": "WMS", "enterprise": enterprise.pk})
    assert page.status_code == 200 and REFUSED in page.content.decode()
    assert "只显示这一次" not in page.content.decode()
    assert ApiToken.objects.filter(user=filler).count() == 2


def test_the_back_office_page_says_why(client, admins, settings):
    settings.API_TOKENS_PER_USER = 2
    admin = admins["sme_ningbo"]
    token_create(actor=admin, name="A")
    token_create(actor=admin, name="B")
    client.force_login(admin)
    page = client.post("/admin/api-tokens/", {"name": "C"})
    assert page.status_code == 200 and REFUSED in page.content.decode()
    assert ApiToken.objects.filter(user=admin).count() == 2
