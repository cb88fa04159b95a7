"""Tokens of every scope, made through the real services, and a small JSON client."""
import json

import pytest

from tests.reporting.conftest import (  # noqa: F401  (fixtures shared with the reporting tests)
    admins, enterprise, filler, monthly_setup, period, report_type, reports)

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The rate limit lives in the cache; token ids repeat between tests, so start each test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Api:
    """Calls the API as a token, in the given language (zh-hans unless told)."""

    def __init__(self, client, secret, language="zh-hans"):
        self.client, self.secret, self.language = client, secret, language

    def headers(self, extra=None):
        headers = {"Accept-Language": self.language}
        if self.secret is not None:
            headers["Authorization"] = f"Bearer {self.secret}"
        headers.update(extra or {})
        return headers

    def call(self, method, path, body=None, *, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        kwargs = {} if method == "get" else {"data": data, "content_type": "application/json"}
        return getattr(self.client, method)(BASE + path, headers=self.headers(headers), **kwargs)

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def put(self, path, body=None, **kw):
        return self.call("put", path, body, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)


@pytest.fixture
def other_province(demo_core):
    """A Jiangsu administrator (another province) with every review flag."""
    from accounts.demo import DEMO_PASSWORD
    from accounts.models import AdministratorProfile
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    national = AdministratorProfile.objects.get(user__username="sme_admin")
    return administrator_create(actor=national.user, parent=national, username="sme_jiangsu", password=DEMO_PASSWORD,
                                mobile="13900000099", region=region_by_code("320000", level=1),
                                can_review_report=True, can_review_registration=True).user


@pytest.fixture
def make_api(client):
    """make_api(user, enterprise=None, language="zh-hans") → an Api calling as a new token of `user`."""
    from api.services import token_create

    def make(user, *, enterprise=None, language="zh-hans"):
        created = token_create(actor=user, name=f"{user.username} system", enterprise=enterprise)
        api = Api(client, created.secret, language)
        api.token = created.token
        return api

    return make


@pytest.fixture
def filler_api(make_api, filler):
    return make_api(filler)
