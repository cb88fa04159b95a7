"""Fault scenarios on the production-shaped stack (issue #10 item 3); each prints one verdict line.

    .venv/bin/python bench/faults.py web-kill-submit      # gunicorn worker killed -9 inside the submit transaction
    .venv/bin/python bench/faults.py db-restart-save      # PostgreSQL restarted while the report is saved
    .venv/bin/python bench/faults.py redis-down           # Redis (cache and broker) stopped
    .venv/bin/python bench/faults.py celery-kill-import   # the Celery worker's process killed -9 mid-import
    .venv/bin/python bench/faults.py all

Each prints `fault=<name> verdict=PASS|FAIL <details>`. A scenario pins the moment of the fault with
a PostgreSQL trigger that sleeps inside the transaction being tested (created and dropped by the
scenario), so the kill or restart lands mid-transaction every time. Uses PostgreSQL on 5436 and
Redis on 6392 under /tmp/sme-bench (see bench/loadtest/stack.py).
"""
import argparse
import json
import os
import re
import signal
import sys
import threading
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest.stack import Stack, log  # noqa: E402

DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True  # Secure cookies on loopback HTTP
CURRENT_STEP = re.compile(r'name="([^"]+-current_step)" value="([^"]+)"')


def verdict(name: str, ok: bool, details: str) -> bool:
    print(f"fault={name} verdict={'PASS' if ok else 'FAIL'} {details}", flush=True)
    return ok


def sleep_trigger(stack: Stack, table: str, seconds: float, when: str = "TRUE") -> None:
    stack.psql(f"""
        CREATE OR REPLACE FUNCTION bench_fault_sleep() RETURNS trigger AS $$
        BEGIN IF {when} THEN PERFORM pg_sleep({seconds}); END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS bench_fault ON {table};
        CREATE TRIGGER bench_fault BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION bench_fault_sleep();""")


def sleep_trigger_drop(stack: Stack, table: str) -> None:
    stack.psql(f"DROP TRIGGER IF EXISTS bench_fault ON {table}")


def wait_for_sleep(stack: Stack, timeout: float = 30) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if stack.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%INSERT%' AND wait_event = 'PgSleep'") != "0":
            return True
        time.sleep(0.1)
    return False


class Browser:
    """A filler in a browser: requests with the session and CSRF cookies."""

    def __init__(self, stack: Stack, plan: dict, index: int = 0):
        self.stack, self.plan, self.enterprise = stack, plan, plan["enterprises"][index]
        self.http = requests.Session()
        self.base = stack.url
        self.fill_url = f"/reports/{plan['report_key']}/{plan['period']}/fill/"
        self.submit_url = f"/reports/{plan['report_key']}/{plan['period']}/"

    def csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def get(self, path, **kw):
        return self.http.get(self.base + path, timeout=kw.pop("timeout", 60), **kw)

    def post(self, path, data, **kw):
        return self.http.post(self.base + path, {"csrfmiddlewaretoken": self.csrf(), **data},
                              timeout=kw.pop("timeout", 60), allow_redirects=kw.pop("allow_redirects", False), **kw)

    def login(self, username=None, mobile=None) -> None:
        username, mobile = username or self.enterprise["username"], mobile or self.enterprise["mobile"]
        self.get("/accounts/login/")
        assert self.post("/accounts/login/", {"username": username, "password": self.plan["password"]}).status_code == 302
        code = self.stack.psql(f"SELECT text FROM accounts_smsmessage WHERE mobile='{mobile}' ORDER BY id DESC LIMIT 1")
        assert self.post("/accounts/login/verify/", {"code": re.search(r"\d{6}", code).group(0)}).status_code == 302

    def step_form(self, page: str, step: str, revenue_delta: float = 0.0) -> dict:
        name, current = CURRENT_STEP.search(page).groups()
        assert current == step, (current, step)
        data = dict(self.plan["steps"][step])
        if step == "basic":
            data.update(name=self.enterprise["name"], credit_code=self.enterprise["credit_code"], region=self.enterprise["region"])
        if step == "indicators" and revenue_delta:
            data["ind__revenue__month"] = float(data["ind__revenue__month"]) + revenue_delta
            data["ind__revenue__ytd"] = float(data["ind__revenue__ytd"]) + revenue_delta
        return {name: step, **data}

    def fill(self, *, revenue_delta: float = 0.0, last_step: bool = True):
        """Walk the three steps with 下一步; returns the last response (or the form of the last step)."""
        page = self.get(self.fill_url).text
        for step in ("basic", "indicators", "product_step"):
            form = self.step_form(page, step, revenue_delta)
            if step == "product_step" and not last_step:
                return form
            response = self.post(self.fill_url, {**form, "wizard_action": "next"})
            page = response.text
        return response

    def questionnaire(self) -> None:
        url = f"/surveys/{self.plan['questionnaire']}/{self.plan['period']}/"
        response = self.get(url)
        for _ in range(5):
            match = CURRENT_STEP.search(response.text)
            if not match:
                return
            response = self.post(url, {match.group(1): match.group(2), "wizard_action": "next", **self.plan["questionnaire_data"]})
            if response.status_code == 302:
                return


def report_state(stack: Stack, enterprise_id: int) -> dict:
    """The report row, its 上报 events and its facts' statuses, straight from PostgreSQL."""
    row = stack.psql(f"""SELECT json_build_object(
        'status', s.status, 'revenue', s.answers->'ind'->'revenue'->>'month',
        'submits', (SELECT count(*) FROM workflow_reviewevent e WHERE e.submission_id = s.id AND e.action = 'workflow.submit'),
        'facts', (SELECT count(*) FROM reporting_indicatorfact f WHERE f.submission_id = s.id),
        'fact_statuses', (SELECT coalesce(json_agg(DISTINCT f.status), '[]') FROM reporting_indicatorfact f WHERE f.submission_id = s.id),
        'reports', (SELECT count(*) FROM reporting_submission x WHERE x.enterprise_id = s.enterprise_id AND x.period = s.period))
        FROM reporting_submission s WHERE s.enterprise_id = {enterprise_id}""")
    return json.loads(row) if row else {}


def _setup(stack: Stack, enterprises: int, *, celery: bool) -> dict:
    stack.pg_start()
    stack.redis_start()
    stack.prepare()
    plan_path = stack.work / "faults-plan.json"
    stack.python(f"from bench.loadtest.seed import seed_enterprises; seed_enterprises({enterprises}, {str(plan_path)!r})")
    stack.web_start()
    if celery:
        stack.celery_start()
    return json.loads(plan_path.read_text())


# -- scenarios -------------------------------------------------------------------------------------

def web_kill_submit(stack: Stack) -> bool:
    name = "web-kill-submit"
    plan = _setup(stack, 1, celery=False)
    browser = Browser(stack, plan)
    browser.login()
    assert browser.fill().status_code == 302
    browser.questionnaire()
    sleep_trigger(stack, "workflow_reviewevent", 5)
    outcome = {}

    def submit():
        try:
            outcome["response"] = browser.post(browser.submit_url, {}, timeout=30)
        except requests.RequestException as exc:
            outcome["error"] = type(exc).__name__

    thread = threading.Thread(target=submit)
    thread.start()
    if not wait_for_sleep(stack):
        return verdict(name, False, "the submit never reached the sleeping trigger")
    killed = stack.web_workers()
    for pid in killed:
        os.kill(pid, signal.SIGKILL)  # the worker serving the submit dies inside its transaction
    thread.join(40)
    sleep_trigger_drop(stack, "workflow_reviewevent")
    time.sleep(6)  # the orphaned backend finishes its sleep, finds its client gone and rolls back
    after_kill = report_state(stack, browser.enterprise["enterprise"])
    consistent = (after_kill["status"] == "editing" and after_kill["submits"] == 0 and after_kill["fact_statuses"] == ["editing"]) or \
                 (after_kill["status"] == "pending" and after_kill["submits"] == 1 and after_kill["fact_statuses"] == ["pending"])
    stack.wait_http("/accounts/login/")  # gunicorn's master has started new workers
    codes = [browser.post(browser.submit_url, {}).status_code for _ in range(2)]  # the user retries, twice
    final = report_state(stack, browser.enterprise["enterprise"])
    ok = consistent and final["status"] == "pending" and final["submits"] == 1 and final["reports"] == 1 \
        and final["fact_statuses"] == ["pending"]
    return verdict(name, ok, f"killed_workers={len(killed)} client={outcome.get('error') or outcome.get('response').status_code} "
                             f"after_kill=({after_kill['status']},submit_events={after_kill['submits']},facts={after_kill['fact_statuses']}) "
                             f"retries={codes} final=({final['status']},submit_events={final['submits']},reports={final['reports']},"
                             f"facts={final['fact_statuses']})")


def db_restart_save(stack: Stack) -> bool:
    name = "db-restart-save"
    plan = _setup(stack, 1, celery=False)
    browser = Browser(stack, plan)
    browser.login()
    assert browser.fill().status_code == 302  # the report saved before (编辑)
    before = report_state(stack, browser.enterprise["enterprise"])
    form = browser.fill(revenue_delta=1000.0, last_step=False)  # steps 1-2 changed and kept in the draft
    drafts_before = stack.psql("SELECT count(*) FROM formdefs_wizarddraft d JOIN accounts_user u ON u.id = d.user_id "
                               f"WHERE u.username = '{browser.enterprise['username']}'")
    sleep_trigger(stack, "reporting_indicatorfact", 5)
    outcome = {}

    def save():
        try:
            outcome["response"] = browser.post(browser.fill_url, {**form, "wizard_action": "next"}, timeout=60)
        except requests.RequestException as exc:
            outcome["error"] = type(exc).__name__

    thread = threading.Thread(target=save)
    thread.start()
    if not wait_for_sleep(stack):
        return verdict(name, False, "the save never reached the sleeping trigger")
    stack.pg_restart(down_seconds=2)  # immediate stop: the save's connection is cut mid-transaction
    thread.join(60)
    sleep_trigger_drop(stack, "reporting_indicatorfact")
    response = outcome.get("response")
    page = response.text if response is not None else ""
    clear = response is not None and response.status_code == 503 and "数据库暂时不可用" in page and "您刚才的修改没有保存" in page
    after = report_state(stack, browser.enterprise["enterprise"])
    drafts_after = stack.psql("SELECT count(*) FROM formdefs_wizarddraft d JOIN accounts_user u ON u.id = d.user_id "
                              f"WHERE u.username = '{browser.enterprise['username']}'")
    intact = (after["revenue"], after["facts"], after["status"]) == (before["revenue"], before["facts"], before["status"])
    resumed = browser.get(browser.fill_url)  # the database is back: the page and the draft are there
    ok = clear and intact and drafts_after == drafts_before == "1" and resumed.status_code == 200
    return verdict(name, ok, f"response={response.status_code if response is not None else outcome.get('error')} "
                             f"chinese_message={'数据库暂时不可用' in page} saved_report_unchanged={intact} "
                             f"(revenue {before['revenue']}->{after['revenue']}, facts {before['facts']}->{after['facts']}) "
                             f"draft_kept={drafts_after == '1'} after_restart={resumed.status_code}")


def redis_down(stack: Stack) -> bool:
    name = "redis-down"
    plan = _setup(stack, 3, celery=True)
    stack.redis_stop()
    browser = Browser(stack, plan)
    started = time.time()
    browser.login()
    pages = {path: browser.get(path).status_code for path in ("/", "/reports/", browser.fill_url)}
    saved = browser.fill().status_code
    elapsed = time.time() - started
    # Background work: an import and a one-click reminder queued by an administrator.
    queued = json.loads(stack.python("""
import json
from django.db import transaction
from accounts.models import User
from reporting.selectors import report_type_get
from reporting.periods import period_current
from reporting.demo import monthly_answers
from enterprises.models import Enterprise
from imports.services import import_job_create
from reminders.services import reminder_run_start
from tests.imports.builders import BatchFile
actor = User.objects.get(username="sme_ningbo")
rt = report_type_get(key="sme_monthly"); period = period_current(rt)
e = Enterprise.objects.filter(user__username__startswith="bench_").order_by("pk").last()
batch = BatchFile(rt); batch.add(e.credit_code, e.name, monthly_answers(enterprise=e, period=period)["ind"])
job = import_job_create(actor=actor, report_type=rt, period=period, file=batch.data(), file_name="b.xlsx", language="zh-hans")
run = reminder_run_start(actor=actor, report_type=rt, period=period)
job.refresh_from_db(); run.refresh_from_db()
print(json.dumps({"job": [job.status, job.message], "run": [run.status, run.message]}, ensure_ascii=False))
"""))
    stack.redis_start()
    ok = all(code == 200 for code in pages.values()) and saved == 302 and queued["job"][0] == "failed" \
        and "任务队列暂时不可用" in queued["job"][1] and queued["run"][0] == "failed"
    return verdict(name, ok, f"pages={pages} report_saved={saved == 302} login_and_pages_s={elapsed:.1f} "
                             f"import_job={queued['job'][0]}:'{queued['job'][1]}' reminder_run={queued['run'][0]}")


def celery_kill_import(stack: Stack, rows: int = 30) -> bool:
    name = "celery-kill-import"
    _setup(stack, rows, celery=True)
    sleep_trigger(stack, "imports_importrow", 0.3)
    job_id = int(stack.python(f"""
from accounts.models import User
from reporting.selectors import report_type_get
from reporting.periods import period_current
from reporting.demo import monthly_answers
from enterprises.models import Enterprise
from imports.services import import_job_create
from survey_builder.models import Questionnaire
from tests.imports.builders import BatchFile, approved_before
from tests.reporting.conftest import Builder
rt = report_type_get(key="sme_monthly"); period = period_current(rt)
reports = Builder(rt, Questionnaire.objects.filter(mandatory=True).order_by("pk").first())
batch = BatchFile(rt)
for e in Enterprise.objects.filter(user__username__startswith="bench_").order_by("pk")[:{rows}]:
    # A batch row holds only the figures; its required 基本信息 come from the enterprise's approved
    # report of the month before (filled, submitted and approved through the services), as for a real
    # enterprise: rows without them are refused (issue 22 §5).
    approved_before(reports, e, period)
    batch.add(e.credit_code, e.name, monthly_answers(enterprise=e, period=period)["ind"])
job = import_job_create(actor=User.objects.get(username="sme_ningbo"), report_type=rt, period=period,
                        file=batch.data(), file_name="bench.xlsx", language="zh-hans")
print(job.pk)
""").strip())
    deadline = time.time() + 60
    while time.time() < deadline and int(stack.psql(f"SELECT count(*) FROM imports_importrow WHERE job_id={job_id}")) < 5:
        time.sleep(0.2)
    rows_at_kill = int(stack.psql(f"SELECT count(*) FROM imports_importrow WHERE job_id={job_id}"))
    children = stack.celery_children()
    for pid in children:
        os.kill(pid, signal.SIGKILL)  # the pool process running the chunk dies (as under the OOM killer)
    deadline = time.time() + 120
    status = ""
    while time.time() < deadline:
        status = stack.psql(f"SELECT status FROM imports_importjob WHERE id={job_id}")
        if status in ("done", "failed"):
            break
        time.sleep(0.5)
    sleep_trigger_drop(stack, "imports_importrow")
    check = json.loads(stack.psql(f"""SELECT json_build_object(
        'rows', count(*), 'positions', count(DISTINCT position),
        'imported', count(*) FILTER (WHERE outcome = 'imported'),
        'submit_events', (SELECT count(*) FROM workflow_reviewevent e JOIN imports_importrow r ON r.submission_id = e.submission_id
                          WHERE r.job_id = {job_id} AND e.action = 'workflow.submit'),
        'pending_reports', (SELECT count(*) FROM reporting_submission s JOIN enterprises_enterprise x ON x.id = s.enterprise_id
                            JOIN accounts_user u ON u.id = x.user_id WHERE u.username LIKE 'bench_%' AND s.status = 'pending'))
        FROM imports_importrow WHERE job_id = {job_id}"""))
    resumed = "WorkerLostError" in (stack.work / "celery.log").read_text(errors="replace")
    whole = check["rows"] == check["positions"] == rows and check["imported"] == check["submit_events"] == check["pending_reports"]
    ok = status == "done" and whole
    return verdict(name, ok, f"job={status} killed_pool_processes={len(children)} rows_before_kill={rows_at_kill} "
                             f"rows={check['rows']}/{rows} distinct_positions={check['positions']} imported={check['imported']} "
                             f"submit_events={check['submit_events']} pending_reports={check['pending_reports']} "
                             f"worker_lost_seen={resumed}")


SCENARIOS = {"web-kill-submit": web_kill_submit, "db-restart-save": db_restart_save, "redis-down": redis_down,
             "celery-kill-import": celery_kill_import}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    parser.add_argument("--work", default="/tmp/sme-bench")
    parser.add_argument("--keep", action="store_true", help="leave PostgreSQL and Redis running afterwards")
    args = parser.parse_args()
    results = []
    for name in (SCENARIOS if args.scenario == "all" else [args.scenario]):
        stack = Stack(args.work)
        try:
            results.append(SCENARIOS[name](stack))
        except Exception as exc:  # a scenario that breaks is a FAIL with the reason, and the next one runs
            log(f"{name}: {type(exc).__name__}: {exc}")
            results.append(verdict(name, False, f"error={type(exc).__name__}: {str(exc)[:200]}"))
        finally:
            stack.stop(keep=args.keep)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
