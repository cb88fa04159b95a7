"""A wizard step POST round trip vs a hand-written Django form view with the same fields.

Both use the test client on SQLite: validate the 经济指标 step (18 indicators × 4 columns),
store it in the database and render the page again (the wizard's 保存).
Run: python bench/wizard_step.py   (prints the ratio last; goal ≤ 1.5)
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

import timing  # noqa: E402  (bench/timing.py)

django.setup()

from django import forms  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import path  # noqa: E402

ROWS = ["gross_output", "export_value", "electricity", "capacity_utilization", "revenue", "cost", "loan_balance",
        "finance_expense", "receivables", "finished_goods", "profit", "taxes_payable", "employees",
        "overdue_receivables", "payroll_payable", "total_assets", "total_liabilities", "fixed_investment"]
COLUMNS = ["month", "ytd", "ly_month", "ly_ytd"]


class PlainForm(forms.Form):
    """The same inputs as the wizard step, written by hand."""


for _row in ROWS:
    for _col in COLUMNS:
        PlainForm.base_fields[f"ind__{_row}__{_col}"] = forms.DecimalField(
            required=_row in {"gross_output", "electricity", "revenue", "cost", "receivables", "profit", "employees"},  # as in January
            min_value=None if _row == "profit" else 0, decimal_places=2, max_digits=20)

PLAIN_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<form method="post">{% csrf_token %}<table class="data">'
    "{% for field in form %}<tr><th>{{ field.label }}</th><td>{{ field }}{{ field.errors }}</td></tr>{% endfor %}"
    "</table><button>保存</button></form>{% endblock %}")


def plain_view(request):
    from formdefs.services import wizard_draft_save

    form = PlainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wizard_draft_save(user=request.user, key="plain", data={k: str(v) for k, v in form.cleaned_data.items()})
    return HttpResponse(PLAIN_TEMPLATE.render({"form": form}, request))


from config.urls import urlpatterns as _project  # noqa: E402

urlpatterns = [path("bench/plain/", plain_view), *_project]


def best(fn):
    return timing.best(fn, rounds=5, number=20)


def main():
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    from accounts.demo import seed_demo
    from accounts.models import User
    from formdefs.demo import seed_demo as formdefs_seed
    from regions.services import refdata_load

    refdata_load()
    seed_demo()
    formdefs_seed()
    client = Client()
    client.force_login(User.objects.get(username="com_demo01"))
    data = {f"ind__{row}__{col}": "100" for row in ROWS[:13] for col in COLUMNS}  # January: no quarterly rows
    with override_settings(ROOT_URLCONF=__name__):
        url = "/forms/demo/sme_monthly_report/?period=2026-01"
        page = client.get(url).content.decode()
        management = [n for n in page.split('name="') if n.split('"')[0].endswith("-current_step")][0].split('"')[0]
        from formdefs.models import WizardDraft

        user = User.objects.get(username="com_demo01")
        WizardDraft.objects.create(user=user, key=f"wizard_formdefs_demo:{user.pk}:sme_monthly_report:2026-01", data={
            "step": "indicators", "step_data": {}, "step_files": {}, "extra_data": {"reached": 2}})
        wizard_post = {management: "indicators", "wizard_action": "save", **data}
        assert client.post(url, wizard_post).status_code == 200
        assert "已保存" in client.post(url, wizard_post).content.decode()
        assert client.post("/bench/plain/", data).status_code == 200
        wizard = best(lambda: client.post(url, wizard_post))
        plain = best(lambda: client.post("/bench/plain/", data))
    print(f"wizard step POST: {wizard * 1e3:.2f} ms")
    print(f"hand-written form view POST: {plain * 1e3:.2f} ms")
    print(f"ratio {wizard / plain:.2f}")


if __name__ == "__main__":
    main()
