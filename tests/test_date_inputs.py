"""Every date input of the platform shows and takes yyyy-mm-dd, whatever the browser's locale (config.widgets)."""
import datetime
import importlib
import re

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from config.widgets import IsoDateField

FORM_MODULES = ["analytics.forms", "enterprises.forms", "filing.forms", "reporting.forms", "workflow.forms",
                "accounts.forms", "api.forms", "survey_builder.admin_forms", "formdefs.forms.builder"]


class DayForm(forms.Form):
    opened_on = IsoDateField(label="开业时间")


def date_input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_the_input_is_text_with_the_numeric_keypad_and_shows_yyyy_mm_dd():
    with translation.override("zh-hans"):
        html = date_input(str(DayForm(initial={"opened_on": datetime.date(2026, 11, 22)})), "opened_on")
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert 'value="2026-11-22"' in html and 'placeholder="年-月-日"' in html


@pytest.mark.parametrize("typed", ["2026-11-22", "2026/11/22", "20261122", " 2026-11-22 "])
def test_year_first_dates_are_taken(typed):
    form = DayForm({"opened_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["opened_on"] == datetime.date(2026, 11, 22)


@pytest.mark.parametrize("language, message", [
    ("zh-hans", "开业时间：请按“年-月-日”格式填写日期，例如 2026-11-22。"),
    ("en", "开业时间: enter a date as yyyy-mm-dd, for example 2026-11-22."),  # English would read it as 22 November
])
@pytest.mark.parametrize("typed", ["11/22/2026", "22/11/2026", "2026-02-30", "2026112"])
def test_other_dates_are_refused_naming_the_field(language, message, typed):
    with translation.override(language):
        form = DayForm({"opened_on": typed})
        assert not form.is_valid()
        assert form.errors["opened_on"] == [message]


def _project_forms():
    for name in FORM_MODULES:
        importlib.import_module(name)
    seen, todo = set(), [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    root = str(settings.BASE_DIR)
    return [f for f in seen if getattr(importlib.import_module(f.__module__), "__file__", "").startswith(root)
            and ".venv" not in importlib.import_module(f.__module__).__file__]


def test_every_date_field_of_the_project_uses_the_shared_field():
    dated = {(form.__name__, name): field for form in _project_forms() for name, field in form.base_fields.items()
             if isinstance(field, forms.DateField)}
    assert dated, "no date field found: the scan is broken"
    assert [key for key, field in dated.items() if not isinstance(field, IsoDateField)] == []


def test_no_template_or_widget_asks_the_browser_for_its_own_date_format():
    pattern = re.compile(r'type="(date|month)"|input_type = "(date|month)"|"type": "(date|month)"\}')
    hits = []
    for top in ("platform", "formdefs", "survey_builder", "cms", "templates"):
        for path in (settings.BASE_DIR / top).rglob("*"):
            if path.suffix in (".py", ".html") and pattern.search(path.read_text(encoding="utf-8")):
                hits.append(str(path.relative_to(settings.BASE_DIR)))
    assert hits == []


# -- over HTTP: a back-office page and the engine's ----------------------------------------------

@pytest.mark.django_db
def test_questionnaire_theme_refuses_a_month_first_date(client, demo_core):
    from survey_builder.models import Questionnaire

    client.force_login(demo_core["sme_ningbo"].user)
    page = client.get(reverse("survey_admin:new")).content.decode()
    assert 'inputmode="numeric"' in date_input(page, "starts_on")
    data = {"title": "企业用工调查", "description": "说明", "frequency": "monthly", "mandatory": "1", "starts_on": "11/22/2026",
            "ends_on": "2099-12-31", "target": "all", "action": "next"}
    response = client.post(reverse("survey_admin:new"), data)
    assert response.status_code == 200 and not Questionnaire.objects.exists()
    body = response.content.decode()
    assert "起始日期：请按“年-月-日”格式填写日期，例如 2026-11-22。" in body
    assert 'value="11/22/2026"' in date_input(body, "starts_on")  # what was typed stays, to be corrected


@pytest.mark.django_db
def test_engine_date_question_shows_takes_and_refuses(client, demo_core):
    from accounts.models import User
    from formdefs.demo import seed_demo
    from formdefs.models import FormAnswer

    seed_demo()
    client.force_login(User.objects.get(username="com_demo01"))
    url = reverse("formdefs:demo", args=["enterprise_registration"])
    page = client.get(url)
    body = page.content.decode()
    html = date_input(body, "opened_on")
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'placeholder="年-月-日"' in html
    name, step = re.search(r'name="([^"]+-current_step)" value="([^"]+)"', body).groups()
    data = {name: step, "wizard_action": "next", "name": "宁波海曙示范机械有限公司", "credit_code": "91330203MA2AAAAA1X",
            "legal_representative": "张三", "industry": "C3435", "region": "330203", "registration_type": "173",
            "holding_type": "3", "revenue_last_year": "5200", "employees_last_year": "180", "assets_last_year": "8000",
            "size": "small", "is_listed": "false", "opened_on": "11/22/2015", "address": "宁波市海曙区示范路1号",
            "postcode": "315000", "contact": "李四", "phone": "0574-88888888", "email": "li@example.cn", "main_business": "数控机床"}
    response = client.post(url, data)
    assert response.status_code == 200 and not FormAnswer.objects.exists()
    assert "开业时间：请按“年-月-日”格式填写日期，例如 2026-11-22。" in response.content.decode()
    response = client.post(url, {**data, "opened_on": "20151122"})
    assert response.status_code == 302
    assert FormAnswer.objects.get().answers["opened_on"] == "2015-11-22"


# -- months: yyyy-mm the same way --------------------------------------------------------------

@pytest.mark.parametrize("typed", ["2026-10", "2026/10", "202610", " 2026-10 "])
def test_year_first_months_are_taken(typed):
    from reporting.periods import period_parse

    assert period_parse(typed) == datetime.date(2026, 10, 1)


@pytest.mark.parametrize("typed", ["10/2026", "10-2026", "202613", "2026-13", "October 2026", "26-10"])
def test_other_months_are_refused(typed):
    from reporting.periods import period_parse

    assert period_parse(typed) is None


def test_the_month_input_is_text_with_the_numeric_keypad_and_shows_yyyy_mm():
    from analytics.forms import MonthField

    class MonthForm(forms.Form):
        month = MonthField(label="报表月份")

    with translation.override("zh-hans"):
        html = date_input(str(MonthForm(initial={"month": "2026-10"})), "month")
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'placeholder="年-月"' in html
    assert MonthForm({"month": "202610"}).is_valid()
    assert not MonthForm({"month": "10/2026"}).is_valid()
