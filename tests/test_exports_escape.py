"""No export of the platform hands a spreadsheet a formula (issue 18 §5).

Hostile text (=HYPERLINK(…), +1+1, -2+3, @SUM(A1), and a formula behind a leading tab, line feed or
carriage return) is stored in an enterprise's name, a registration's contact, a report's explanation,
a page title in Wagtail's site history …; then every export is run and every cell of what it returns
is scanned. CSV: a text cell a spreadsheet would run (first character after blanks one of = + - @, or
a tab / carriage return first) must start with `'`. XLSX: no cell is a formula (text is written as an
explicit string cell, with no prefix). Numbers stay numbers.

The exports are discovered from their registries, so a new one is scanned (or fails here) without
editing this file: every admin URL whose view has Wagtail's spreadsheet export (`export_filename`),
every export kind of `exports.registry` (a kind this file cannot run fails the test).
"""
import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\n=1", "\r+1"]
FORMULA_FIRST = ("=", "+", "-", "@")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")


def csv_unsafe(data: bytes) -> list[str]:
    """The cells of a CSV file a spreadsheet would run as a formula."""
    bad = []
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        for cell in row:
            if NUMBER.match(cell):
                continue  # a number (e.g. -5 in a numeric column) is not text
            if cell.startswith(("\t", "\r")) or cell.lstrip(" \t\r\n").startswith(FORMULA_FIRST):
                bad.append(cell)
    return bad


def xlsx_formulas(data: bytes) -> list[str]:
    """The formula cells of a workbook (every `<f>` of every sheet, and what openpyxl reads as one)."""
    bad = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >]", archive.read(name)):
                bad.append(name)
    book = openpyxl.load_workbook(io.BytesIO(data))
    bad += [cell.coordinate for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    return bad


def xlsx_texts(data: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}


def assert_safe(data: bytes, *, what: str) -> None:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" not in names:  # a zip of workbooks
                for name in names:
                    assert_safe(archive.read(name), what=f"{what}/{name}")
                return
        assert not xlsx_formulas(data), (what, xlsx_formulas(data))
    else:
        assert not csv_unsafe(data), (what, csv_unsafe(data))


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- hostile data, through the services ------------------------------------------------------------------

@pytest.fixture
def hostile(demo_core, reports, enterprise, period, admins, travel):  # noqa: F811
    """A registration with hostile contact, an enterprise with a hostile name and a submitted report with
    a hostile explanation (and the questionnaire answered), a page title in the site history."""
    from wagtail.log_actions import log
    from wagtail.models import Page

    from accounts.models import User
    from enterprises.demo import registration_answers
    from enterprises.models import Enterprise
    from enterprises.services import enterprise_register
    from tests.enterprises.conftest import credit_code

    user = User.objects.create_user(username="ent_csv01", password="Xk9#mQ2pLw", email="ent_csv01@example.com",
                                    mobile="13700009911", real_name="转义")
    registration = enterprise_register(user=user, actor=user, answers=registration_answers(
        name="宁波转义测试有限公司", credit_code=credit_code(), contact=HOSTILE[0], main_business=HOSTILE[1]))
    # A stored name as any earlier path (an import, an information change) may have written it.
    Enterprise.objects.filter(pk=enterprise.pk).update(name=HOSTILE[0])
    enterprise.refresh_from_db()
    submission = reports.submitted(enterprise, period, explanation="\n".join(HOSTILE[1:]))
    from wagtail.models import Workflow

    root = Page.objects.get(depth=1)
    for text in HOSTILE:
        log(instance=root, action="wagtail.edit", user=admins["sme_ningbo"], title=text)
    # A page waiting in Wagtail's moderation workflow: its title is in the workflow reports.
    home = Page.objects.get(depth=2)
    page = home.add_child(instance=Page(title=HOSTILE[0], slug="escape-test", live=False))
    page.save_revision(user=admins["sme_ningbo"])
    Workflow.objects.filter(active=True).first().start(page, admins["sme_ningbo"])
    return {"registration": registration, "enterprise": enterprise, "submission": submission}


# -- discovery -------------------------------------------------------------------------------------------

def list_export_urls():
    """(url name, view class) of every admin URL without arguments whose view exports a spreadsheet."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                view = getattr(p.callback, "view_class", None)
                if view and issubclass(view, SpreadsheetExportMixin) and not getattr(p.pattern, "_route", "").endswith("results/"):
                    found.append((f"{namespace}{p.name}", view))

    walk(get_resolver().url_patterns, "")
    return found


def test_the_discovery_finds_the_list_exports():
    names = {name for name, _view in list_export_urls()}
    assert {"enterprises_admin:registrations", "enterprises_admin:enterprises",
            "wagtailadmin_reports:site_history"} <= names


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_every_wagtail_list_export_is_escaped(client, hostile, admins, export):
    from accounts.models import User

    superuser = User.objects.create_superuser(username="csv_root", password="Xk9#mQ2pLw", email="r@example.com",
                                              mobile="13700009912")
    found = {}
    for name, _view in list_export_urls():
        data = None
        for user in (superuser, admins["sme_ningbo"]):
            client.force_login(user)
            response = client.get(reverse(name), {"export": export})
            if response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment"):
                data = body(response)
                break
        assert data is not None, f"{name}: no user could export it"
        assert_safe(data, what=name)
        found[name] = data
    for name in ("enterprises_admin:registrations", "enterprises_admin:enterprises"):
        text = found[name].decode("utf-8-sig") if export == "csv" else "\n".join(xlsx_texts(found[name]))
        assert ("'" + HOSTILE[0] if export == "csv" else HOSTILE[0]).replace('"', '""' if export == "csv" else '"') in text, name
    site = found["wagtailadmin_reports:site_history"]
    workflow = found["wagtailadmin_reports:workflow"]
    if export == "csv":
        assert "'\t=1" in site.decode("utf-8-sig") and "'\r+1" in site.decode("utf-8-sig")
        assert "'=HYPERLINK" in workflow.decode("utf-8-sig")
    else:
        assert {"\t=1", "@SUM(A1)"} <= xlsx_texts(site)
        assert HOSTILE[0] in xlsx_texts(workflow)


# -- the export kinds and the other downloads ------------------------------------------------------------

def run_kind(key, *, actor, params):
    from exports.services import export_job_create, export_job_run

    job = export_job_run(job=export_job_create(actor=actor, kind=key, params=params))
    assert job.status == "done", (key, job.message)
    with job.file.open("rb") as handle:
        return handle.read()


def filing_reports_export(admins) -> bytes:
    """批量导出 of a filing task's report of an enterprise named with a formula, with a hostile explanation."""
    import datetime

    from accounts.models import AdministratorProfile
    from filing import services as filing
    from filing.demo import software_report_type
    from tests.filing.conftest import make_enterprise, software_answers

    soft = make_enterprise("com_soft_csv", HOSTILE[2])
    profile = AdministratorProfile.objects.select_related("region").get(user__username="sme_zhejiang")
    task = filing.filing_task_create(actor=admins["sme_zhejiang"], title=HOSTILE[3], report_type=software_report_type(),
                                     period=datetime.date(2026, 3, 1), issuing_region=profile.region,
                                     due_date=datetime.date(2026, 4, 20), industry_prefix="I65")
    task = filing.filing_task_open(task=task, actor=admins["sme_zhejiang"])
    filing.filing_report_save(task=task, enterprise=soft, answers=software_answers(), explanation=HOSTILE[0],
                              actor=soft.filler)
    submission = filing.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    data = run_kind("filing.reports", actor=soft.filler, params={"enterprise": soft.pk, "ids": [submission.pk]})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        [name] = archive.namelist()
        assert HOSTILE[2] in xlsx_texts(archive.read(name))
    return data


def test_every_export_kind_is_escaped(hostile, admins, settings, tmp_path):
    from exports.registry import kinds

    settings.EXPORTS_ROOT = str(tmp_path / "exports")
    enterprise, submission = hostile["enterprise"], hostile["submission"]
    scanned = set()
    for key, kind in kinds().items():
        if key.startswith("tests."):
            continue
        if key.startswith("analytics."):
            data = run_kind(key, actor=admins["sme_zhejiang"], params={})
        elif key == "filing.reports":
            data = filing_reports_export(admins)
        else:
            pytest.fail(f"export kind {key} is not run by this test: add it")
        assert_safe(data, what=key)
        scanned.add(key)
    assert scanned
    # filing.reports zips reporting.excel_io.submission_export: the same workbook as 导出 of a report.
    from reporting import excel_io

    data = excel_io.submission_export(submission)
    assert_safe(data, what="reporting:export")
    texts = xlsx_texts(data)
    assert HOSTILE[0] in texts and any(t.startswith("+1+1\n-2+3") for t in texts)  # name, explanation
    assert enterprise.name == HOSTILE[0]


def test_report_and_questionnaire_downloads_are_escaped(client, hostile, admins):
    from survey_builder.models import Questionnaire

    submission = hostile["submission"]
    client.force_login(submission.enterprise.filler)
    assert_safe(body(client.get(reverse("reporting:export", args=[submission.pk]))), what="reporting:export")

    client.force_login(admins["sme_zhejiang"])
    scanned = set()
    for questionnaire in Questionnaire.objects.all():
        for name in ("survey_admin:answers", "survey_admin:analyse"):
            try:
                url = reverse(name, args=[questionnaire.pk])
            except Exception:
                continue
            response = client.get(url, {"export": "1", "period": f"{submission.period:%Y-%m}"})
            if response.status_code == 200 and response.get("Content-Disposition"):
                data = body(response)
                assert_safe(data, what=name)
                scanned.add(name)
                if name == "survey_admin:answers":
                    assert HOSTILE[0] in xlsx_texts(data)  # the enterprise's name, as a text cell
    assert scanned == {"survey_admin:answers", "survey_admin:analyse"}
