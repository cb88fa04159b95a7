"""保存 always saves (issue 21 §1): a step with errors is kept in the draft as typed, its messages shown, and
the page says when the draft was saved (「已保存 HH:MM」, Asia/Shanghai, from the draft itself)."""
import datetime
import re

import pytest

from formdefs.models import WizardDraft
from reporting.models import Submission
from tests.formdefs.test_wizard_partial_save import (  # noqa: F401  (fixtures)
    STALE, draft_key, on_indicators, post_step, revenue, saved, url, window)
from tests.reporting.conftest import enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401

pytestmark = pytest.mark.django_db


def saved_at(page) -> str:
    """The save time shown beside the buttons."""
    found = re.search(r'data-fd-saved-at>([^<]*)<', page.content.decode())
    return found.group(1) if found else None


def test_save_with_errors_keeps_what_was_typed_and_says_how_many_to_correct(filler, url, saved, draft_key, enterprise, period):
    client, page = on_indicators(filler, url, saved.answers)
    answers = revenue(saved.answers, "abc")
    answers["ind"]["cost"]["month"] = -5
    page = post_step(client, url, page, answers, wizard_action="save")
    body = page.content.decode()
    assert "已保存草稿 10:00，有 2 处需更正" in body
    assert "营业收入 · 本年本月：请输入有效的值。" in body and "营业成本 · 本年本月不能为负数。" in body
    assert "未保存：" not in body
    draft = WizardDraft.objects.get(key=draft_key)
    step = draft.data["step_data"]["indicators"]
    assert step["ind__revenue__month"] == ["abc"] and step["ind__cost__month"] == ["-5"]
    assert draft.data["extra_data"]["unsaved"] == ["indicators"]  # not in the report: 上报 refuses it
    assert Submission.objects.get(pk=saved.pk).answers["ind"]["revenue"]["month"] == 1000.0

    # Reloaded: everything typed is back, still flagged, with the save time.
    again = client.get(url)
    html = again.content.decode()
    assert re.search(r'name="ind__revenue__month"[^>]*value="abc"|value="abc"[^>]*name="ind__revenue__month"', html)
    assert re.search(r'name="ind__cost__month"[^>]*value="-5"|value="-5"[^>]*name="ind__cost__month"', html)
    assert 'class="has-error"' in html and saved_at(again) == "已保存 10:00"


def test_a_valid_save_says_the_time_and_the_page_keeps_the_drafts_time(filler, url, saved, travel):
    client, page = on_indicators(filler, url, saved.answers)
    page = post_step(client, url, page, revenue(saved.answers, 1200), wizard_action="save")
    assert "已保存 10:00" in page.content.decode() and saved_at(page) == "已保存 10:00"
    assert Submission.objects.get(pk=saved.pk).answers["ind"]["revenue"]["month"] == 1200.0
    travel.shift(datetime.timedelta(hours=1, minutes=5))
    assert saved_at(client.get(url)) == "已保存 10:00"  # the draft's time, not the reload's
    travel.shift(datetime.timedelta(days=1))
    client.force_login(filler)  # the session ended meanwhile (idle)
    assert saved_at(client.get(url)) == "已保存 2026-11-18 10:00"


def test_a_stale_page_saving_with_errors_writes_nothing(filler, url, saved, draft_key):
    first, page_a = on_indicators(filler, url, saved.answers)
    second, page_b = window(filler, url)
    post_step(second, url, page_b, revenue(saved.answers, 1300), wizard_action="save")
    before = WizardDraft.objects.get(key=draft_key)
    refused = post_step(first, url, page_a, revenue(saved.answers, "abc"), wizard_action="save")
    assert STALE in refused.content.decode() and "已保存草稿" not in refused.content.decode()
    after = WizardDraft.objects.get(key=draft_key)
    assert (after.revision, after.data) == (before.revision, before.data)
    assert Submission.objects.get(pk=saved.pk).answers["ind"]["revenue"]["month"] == 1300.0
