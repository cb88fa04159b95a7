"""The database fails during a form POST: the 503 page keeps what the user typed (issue 18 §3).

The page holds a form posting the same fields to the same address (重新提交) with a new CSRF token;
passwords, codes and the submitted CSRF token are never written into it; they are asked for again.
The outage is injected at the database edge (`connection.execute_wrapper`), as in
test_database_unavailable.py.
"""
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from ops.middleware import DatabaseUnavailableMiddleware
from reporting.models import Submission
from tests.ops.test_database_unavailable import Outage
from tests.reporting.test_views import management, step_data

pytestmark = pytest.mark.django_db

PASSWORD = "Xk9#mQ2pLw"
MOBILE = "13712345678"


class RetryForm(HTMLParser):
    """The 503 page's form: its action, the fields it posts as they are, the inputs left to fill."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.enctype, self.fields, self.to_fill, self.files, self._in_form = None, None, [], [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self.action, self.enctype, self._in_form = attrs.get("action"), attrs.get("enctype"), True
        elif tag == "input" and self._in_form:
            if attrs.get("type") == "hidden":
                self.fields.append((attrs["name"], attrs.get("value", "")))
            elif attrs.get("type") == "file":
                self.files.append(attrs["name"])
            else:
                self.to_fill.append((attrs["name"], attrs.get("type"), attrs.get("value")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False

    def data(self, **typed) -> dict:
        out = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        for name, value in typed.items():
            out[name] = [value]
        return out


def csrf_of(response) -> str:
    return dict(RetryForm(response.content.decode()).fields)["csrfmiddlewaretoken"]


def test_a_registration_that_loses_the_database_keeps_the_typed_values_but_no_password(
        sms_outbox, django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    token = csrf_of(browser.get(reverse("accounts:register")))
    with django_capture_on_commit_callbacks(execute=True):  # the SMS is sent on commit
        browser.post(reverse("accounts:send-code", args=["register"]), {"mobile": MOBILE, "csrfmiddlewaretoken": token})
    code = sms_outbox.last_code(MOBILE)
    typed = {"username": "newco2026", "password": PASSWORD, "password2": PASSWORD, "real_name": "王五",
             "email": "w@example.com", "mobile": MOBILE, "sms_code": code, "csrfmiddlewaretoken": token}

    outage = Outage(when=lambda sql: sql.lstrip().upper().startswith("INSERT") and "accounts_user" in sql.lower())
    with connection.execute_wrapper(outage):
        response = browser.post(reverse("accounts:register"), typed)
    assert outage.hits == 1 and response.status_code == 503
    page = response.content.decode()
    assert "数据库暂时不可用" in page and "您填写的内容已保留在本页" in page and "重新提交" in page
    assert "为保障安全，密码和验证码未予保留，请重新输入" in page
    # Never written into the page: the password, the SMS code, the submitted CSRF token.
    assert PASSWORD not in page and code not in page and token not in page
    form = RetryForm(page)
    assert form.action == reverse("accounts:register")
    kept = dict(form.fields)
    assert {k: kept[k] for k in ("username", "real_name", "email", "mobile")} == {
        "username": "newco2026", "real_name": "王五", "email": "w@example.com", "mobile": MOBILE}
    assert kept["csrfmiddlewaretoken"] and "password" not in kept and "sms_code" not in kept
    assert [(name, kind) for name, kind, _value in form.to_fill] == [
        ("password", "password"), ("password2", "password"), ("sms_code", "text")]
    assert all(value is None for _name, _kind, value in form.to_fill)
    assert not User.objects.filter(username="newco2026").exists()

    # The database is back: 重新提交 with the page's fields and the retyped secrets registers the account.
    response = browser.post(form.action, form.data(password=PASSWORD, password2=PASSWORD, sms_code=code))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert User.objects.get(username="newco2026").email == "w@example.com"


def _revision() -> int:
    saved = Submission.objects.first()
    return saved.revision if saved else 0


def test_a_wizard_step_that_loses_the_database_is_posted_again_from_the_page(client, filler, report_type, reports,
                                                                             enterprise, period):
    client.force_login(filler)
    changed = reports.answers(enterprise, period)
    changed["ind"]["revenue"]["month"] = changed["ind"]["revenue"]["month"] + 1000
    url = reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])
    response = client.get(url)
    for _step in ("basic", "indicators"):
        name, current = management(response)
        response = client.post(url, {name: current, **step_data(changed, current), "wizard_action": "next"})
    name, current = management(response)
    assert current == "product_step"
    before = _revision()

    with connection.execute_wrapper(Outage()):
        response = client.post(url, {name: current, **step_data(changed, current), "wizard_action": "next"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "之前保存的内容" in page and "您填写的内容已保留在本页" in page
    form = RetryForm(page)
    assert form.action == url and form.to_fill == []
    assert (name, current) in form.fields and ("wizard_action", "next") in form.fields
    assert ("products-0-name", changed["products"][0]["name"]) in form.fields
    assert _revision() == before

    # 重新提交 finishes the wizard as the first post would have.
    response = client.post(form.action, form.data())
    assert response.status_code == 302
    assert _revision() > before
    assert Submission.objects.get().answers["ind"]["revenue"]["month"] == changed["ind"]["revenue"]["month"]


def test_files_are_asked_for_again_and_secrets_of_a_multipart_form_are_dropped():
    request = RequestFactory().post("/enterprise/import/?period=2026-10", {
        "note": "第一批\n第二批", "api_token": "sk-secret-123", "account-password": "Pw#12345678",
        "file": SimpleUploadedFile("report.xlsx", b"PK..."), "csrfmiddlewaretoken": "submitted-token-value"})
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, OperationalError("gone"))
    assert response.status_code == 503
    page = response.content.decode()
    form = RetryForm(page)
    assert form.action == "/enterprise/import/?period=2026-10" and form.enctype == "multipart/form-data"
    assert form.files == ["file"] and "已选择的附件未予保留，请重新选择" in page
    assert ("note", "第一批\n第二批") in form.fields
    assert [name for name, _kind, _value in form.to_fill] == ["api_token", "account-password"]
    for secret in ("sk-secret-123", "Pw#12345678", "submitted-token-value"):
        assert secret not in page
