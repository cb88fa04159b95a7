"""报送回执, 回执核验 and the progress line by region (issue 21 §3; reporting.receipt, reporting.views_receipt)."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.models import Submission
from reporting.templatetags.print_tags import grouped
from reporting.receipt import (Verdict, receipt_code, receipt_code_normalize, receipt_verify, submission_progress,
                               submission_receipt)
from workflow.services import submission_receive, submission_return

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$")
WHEN = datetime.datetime(2026, 11, 18, 2, 0, 7, tzinfo=datetime.timezone.utc)


def test_the_code_is_a_keyed_digest_of_id_time_and_answers(settings):
    code = receipt_code(submission_id=7, submitted_at=WHEN, answers={"a": 1, "b": {"x": 2}})
    assert CODE.match(code), code
    # Pure: the same stored report gives the same code, whatever the order of its keys.
    assert receipt_code(submission_id=7, submitted_at=WHEN, answers={"b": {"x": 2}, "a": 1}) == code
    others = {receipt_code(submission_id=8, submitted_at=WHEN, answers={"a": 1, "b": {"x": 2}}),
              receipt_code(submission_id=7, submitted_at=WHEN + datetime.timedelta(seconds=1), answers={"a": 1, "b": {"x": 2}}),
              receipt_code(submission_id=7, submitted_at=WHEN, answers={"a": 1, "b": {"x": 3}})}
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    others.add(receipt_code(submission_id=7, submitted_at=WHEN, answers={"a": 1, "b": {"x": 2}}))
    assert code not in others and len(others) == 4
    # As typed off paper: lower case, spaces instead of hyphens, O for 0 and I/L for 1 (Crockford).
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert receipt_code_normalize(typed) == code
    assert receipt_code_normalize(code[:-1]) is None and receipt_code_normalize(code[:-1] + "U") is None


@pytest.fixture
def submitted(reports, enterprise, period):
    return Submission.objects.get(pk=reports.submitted(enterprise, period).pk)


def test_a_receipt_verifies_and_a_tampered_or_borrowed_code_does_not(submitted, reports, enterprise, period):
    receipt = submission_receipt(submitted)
    assert CODE.match(receipt.code)
    assert receipt_verify(submission_id=submitted.pk, code=receipt.code).verdict == Verdict.VALID
    assert receipt_verify(submission_id=submitted.pk, code=receipt.code.lower().replace("-", "")).is_valid
    last = receipt.code[-1]
    tampered = receipt.code[:-1] + ("Z" if last != "Z" else "Y")
    assert receipt_verify(submission_id=submitted.pk, code=tampered).verdict == Verdict.INVALID
    other = Submission.objects.get(pk=reports.submitted(enterprise, reports_month(period, -1)).pk)
    assert receipt_verify(submission_id=other.pk, code=receipt.code).verdict == Verdict.INVALID
    assert receipt_verify(submission_id=10**9, code=receipt.code).verdict == Verdict.INVALID
    assert receipt_verify(submission_id=other.pk, code=submission_receipt(other).code).is_valid


def reports_month(period, n):
    from reporting.periods import month_add

    return month_add(period, n)


def test_a_report_resubmitted_after_a_return_gets_a_new_code_and_the_old_one_is_superseded(
        submitted, reports, admins, enterprise, period, travel):
    old = submission_receipt(submitted).code
    submission_return(submission=submitted, actor=admins["sme_haishu"], reason="营业收入有误")
    submitted.refresh_from_db()
    assert submission_receipt(submitted) is None  # a returned report has no receipt to print
    assert receipt_verify(submission_id=submitted.pk, code=old).verdict == Verdict.SUPERSEDED
    travel.shift(datetime.timedelta(minutes=5))
    answers = reports.answers(enterprise, period, scale=1.1)
    resubmitted = Submission.objects.get(pk=reports.submitted(enterprise, period, answers=answers).pk)
    new = submission_receipt(resubmitted).code
    assert new != old
    assert receipt_verify(submission_id=resubmitted.pk, code=new).is_valid
    result = receipt_verify(submission_id=resubmitted.pk, code=old)
    assert result.verdict == Verdict.SUPERSEDED and result.submission.pk == resubmitted.pk


def figures(submission):
    """The report's numbers as a page could write them (12345.6 and 12,345.6), those long enough to tell."""
    values = [v for cells in submission.answers["ind"].values() for v in cells.values() if v not in (None, "")]
    return {text for v in values if abs(float(v)) >= 1000 for text in (str(v), grouped(str(v)))}


def test_the_public_check_answers_without_figures_and_in_shanghai_time(submitted, client, settings):
    code = submission_receipt(submitted).code
    url = reverse("receipt_verify")
    page = client.get(url, {"id": submitted.pk, "code": code}).content.decode()
    assert "回执有效" in page and submitted.enterprise.name in page and "2026年" in page
    local = submitted.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"{local:%Y-%m-%d %H:%M:%S}" in page and local.hour == 10  # 10:00 in Shanghai, not 02:00 UTC
    assert not [f for f in figures(submitted) if f in page]
    page = client.get(url, {"id": submitted.pk, "code": "7K3Q-9XPA-2M"}).content.decode()
    assert "回执无效" in page and submitted.enterprise.name not in page
    response = client.get(url, {"id": "abc", "code": "12"})
    page = response.content.decode()
    assert "报送编号" in page and "核验码有10位" in page and 'data-testid="verdict"' not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url, {"id": submitted.pk, "code": code}).content.decode()
    assert "The receipt is valid:" in page and "(Beijing time)" in page and "回执" not in page


def test_the_filler_opens_the_receipt_from_the_success_message_and_the_detail_page(
        client, filler, reports, enterprise, period):
    submission = reports.save(enterprise, period)
    reports.answer_questionnaire(enterprise, period)
    client.force_login(filler)
    response = client.post(reverse("reporting:submit", args=[submission.report_type.key, f"{period:%Y-%m}"]), follow=True)
    receipt_url = reverse("reporting:receipt", args=[submission.pk])
    assert f'href="{receipt_url}"' in response.content.decode()  # in the 上报成功 message
    assert f'href="{receipt_url}"' in client.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
    submission.refresh_from_db()
    page = client.get(receipt_url).content.decode()
    assert "报送回执" in page and submission_receipt(submission).code in page and enterprise.credit_code in page
    local = submission.submitted_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"{local:%Y-%m-%d %H:%M:%S}" in page
    assert not [f for f in figures(submission) if f in page]
    assert 'data-testid="progress"' in page and "海曙区" in page


def test_no_receipt_for_a_report_being_edited_nor_for_another_enterprise(client, filler, reports, enterprise, period,
                                                                       demo_core):
    from accounts.models import User

    submission = reports.save(enterprise, period)
    client.force_login(filler)
    response = client.get(reverse("reporting:receipt", args=[submission.pk]))
    assert response.status_code == 302 and response.url == reverse("reporting:detail", args=[submission.pk])
    client.force_login(User.objects.get(username="com_demo02"))
    assert client.get(reverse("reporting:receipt", args=[submission.pk])).status_code == 404


def line(submission):
    submission = Submission.objects.get(pk=submission.pk)
    return [(step.name, step.state) for step in submission_progress(submission)]


def test_the_progress_line_follows_the_report_by_region(submitted, reports, admins, enterprise, period, client, filler):
    assert line(submitted) == [("海曙区", "current"), ("宁波市", "todo"), ("浙江省", "todo"), ("全国", "todo")]
    received = submission_receive(submission=submitted, actor=admins["sme_haishu"])
    assert line(received) == [("海曙区", "done"), ("宁波市", "current"), ("浙江省", "todo"), ("全国", "todo")]
    client.force_login(filler)
    page = client.get(reverse("reporting:detail", args=[received.pk])).content.decode()
    assert re.search(r'rp-done"><span class="rp-pill">海曙区 <span aria-hidden="true">✓', page)
    assert re.search(r'rp-current"[^>]*><span class="rp-pill">宁波市 <small>审核中</small>', page)
    assert "sme_ningbo" not in page.split('data-testid="progress"')[1].split("</ol>")[0]  # regions, not login names
    returned = submission_return(submission=received, actor=admins["sme_ningbo"], reason="请核对")
    assert line(returned) == [("海曙区", "done"), ("宁波市", "returned"), ("浙江省", "todo"), ("全国", "todo")]
    again = reports.submitted(enterprise, period)  # a new round starts at the county again
    assert line(again) == [("海曙区", "current"), ("宁波市", "todo"), ("浙江省", "todo"), ("全国", "todo")]
    while again.status == "pending":
        again = submission_receive(submission=again, actor=again.holder.user)
    assert line(again) == [("海曙区", "done"), ("宁波市", "done"), ("浙江省", "done"), ("全国", "done")]
    with translation.override("en"):
        assert [s.name for s in submission_progress(again)][-1] == "Whole country"
    # Returned by the city before the county received it: the city is where it was returned.
    other = reports.submitted(enterprise, reports_month(period, -1))
    other = submission_return(submission=other, actor=admins["sme_ningbo"], reason="请核对")
    assert line(other) == [("海曙区", "todo"), ("宁波市", "returned"), ("浙江省", "todo"), ("全国", "todo")]


def test_the_public_check_refuses_an_address_after_too_many_codes_that_did_not_verify(submitted, client, settings,
                                                                                      travel):
    """回执核验 has no login: after RECEIPT_CHECK_HOURLY_FAILURES wrong codes in a clock hour an address is
    refused, with the time it may try again (Shanghai time); a valid check does not count, another address
    is not affected, and the next hour it may check again."""
    from django.core.cache import cache

    settings.RECEIPT_CHECK_HOURLY_FAILURES = 3
    settings.TRUSTED_PROXY_COUNT = 0
    code, url = submission_receipt(submitted).code, reverse("receipt_verify")
    cache.clear()
    try:
        assert "回执有效" in client.get(url, {"id": submitted.pk, "code": code}).content.decode()
        for _ in range(3):
            assert "回执无效" in client.get(url, {"id": submitted.pk, "code": "7K3Q-9XPA-2M"}).content.decode()
        page = client.get(url, {"id": submitted.pk, "code": code}).content.decode()
        assert "核验码错误次数过多" in page and "11:00" in page and 'data-testid="verdict"' not in page
        other = client.get(url, {"id": submitted.pk, "code": code}, REMOTE_ADDR="198.51.100.23").content.decode()
        assert "回执有效" in other
        travel.shift(datetime.timedelta(hours=1))
        assert "回执有效" in client.get(url, {"id": submitted.pk, "code": code}).content.decode()
    finally:
        cache.clear()
