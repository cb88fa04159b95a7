"""The deadline surge (issue #10): enterprises log in, fill the current report step by step and submit;
administrators list the review page and receive.

Run by bench/surge.py, which seeds the data and writes the plan (BENCH_PLAN: logins and form data)
and reads the ledger (BENCH_LEDGER: one "enterprise id,period" line per submit Locust saw confirmed).
The SMS login code is read from the outbox table (the SMS gateway's outbox backend) through
BENCH_DATABASE_URL — the only shortcut; every other step goes through the pages as a browser does.

Each simulated filler takes the next unused enterprise of the plan, so every submission in the
database belongs to exactly one journey; when the plan runs out the user stops.
BENCH_THINK="min,max" sets the think time between pages in seconds (default 2,6), BENCH_WAIT="min,max"
the wait between a filler's journeys (default 1,3); BENCH_PACING=<s> instead starts each filler's journeys
at most every <s> seconds (a set arrival rate: surge.py --ratio runs at 70 % of saturation that way).
BENCH_PLAN_FIRST / BENCH_PLAN_COUNT take a slice of the plan's enterprises, so several Locust runs on
one seed never reuse an enterprise.
"""
import itertools
import json
import os
import random
import re
import threading
import time
from http.cookiejar import DefaultCookiePolicy

import gevent
import psycopg
from locust import HttpUser, between, constant_pacing, events, task

PLAN = json.load(open(os.environ["BENCH_PLAN"], encoding="utf-8"))
LEDGER = os.environ["BENCH_LEDGER"]
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "2,6").split(","))
WAIT = tuple(float(x) for x in os.environ.get("BENCH_WAIT", "1,3").split(","))
PACING = float(os.environ.get("BENCH_PACING", "0"))
_first = int(os.environ.get("BENCH_PLAN_FIRST", "0"))
_count = int(os.environ.get("BENCH_PLAN_COUNT", str(len(PLAN["enterprises"]))))
_enterprises = iter(PLAN["enterprises"][_first:_first + _count])
_admins = itertools.cycle(PLAN["admins"])
_lock = threading.Lock()
_db = None
_in_flight = 0  # fillers between taking an enterprise and the end of its journey

CURRENT_STEP = re.compile(r'name="([^"]+-current_step)" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIVE = re.compile(r'(/admin/review/report/\d+/receive/)')


# The stack runs with production settings (Secure cookies) on plain loopback HTTP; requests copies
# the session's jar into a fresh one per request, so the cookie policy is relaxed for the class.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


def sms_code(mobile: str) -> str:
    global _db
    with _lock:
        if _db is None or _db.closed:
            _db = psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True)
        row = _db.execute("SELECT text FROM accounts_smsmessage WHERE mobile = %s ORDER BY id DESC LIMIT 1",
                          [mobile]).fetchone()
    match = re.search(r"\d{6}", row[0] if row else "")
    if not match:
        raise RuntimeError(f"no SMS code for {mobile}")
    return match.group(0)


def ledger_add(enterprise: int, period: str) -> None:
    with _lock, open(LEDGER, "a") as ledger:
        ledger.write(f"{enterprise},{period}\n")
        ledger.flush()


class Portal(HttpUser):
    abstract = True

    def think(self):
        if THINK[1] > 0:
            time.sleep(random.uniform(*THINK))

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def login(self, username: str, mobile: str) -> bool:
        self.client.cookies.clear()
        self.client.get("/accounts/login/", name="login page")
        with self.client.post("/accounts/login/", {"csrfmiddlewaretoken": self.csrf(), "username": username,
                                                   "password": PLAN["password"]},
                              name="login: password", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302 or "verify" not in response.headers.get("Location", ""):
                response.failure(f"password step refused ({response.status_code})")
                return False
        code = sms_code(mobile)
        with self.client.post("/accounts/login/verify/", {"csrfmiddlewaretoken": self.csrf(), "code": code},
                              name="login: SMS code", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"code step refused ({response.status_code})")
                return False
        return True

    def logout(self):
        self.client.post("/accounts/logout/", {"csrfmiddlewaretoken": self.csrf()}, name="logout", allow_redirects=False)


class Filler(Portal):
    """An enterprise's filler at the deadline: log in, fill the three steps (保存 each), questionnaire, 上报."""

    weight = 100
    wait_time = constant_pacing(PACING) if PACING else between(*WAIT)

    @task
    def journey(self):
        global _in_flight
        with _lock:
            enterprise = next(_enterprises, None)
            _in_flight += enterprise is not None
            last = enterprise is None and _in_flight == 0
        if enterprise is None:  # every enterprise of the slice has had its turn
            if last and os.environ.get("BENCH_QUIT_AT_END"):
                # Outside this greenlet (quit() kills it), after the CSV writer's next 1 s snapshot: the
                # stats file is not rewritten at a quit, and would miss the last requests.
                gevent.spawn_later(2.5, self.environment.runner.quit)
            self.stop()
            return
        try:
            self._journey(enterprise)
        finally:
            with _lock:
                _in_flight -= 1

    def _journey(self, enterprise: dict):
        if not self.login(enterprise["username"], enterprise["mobile"]):
            return
        self.think()
        self.client.get("/", name="home")
        self.think()
        response = self.client.get("/reports/current/", name="report: open current")
        fill_url = response.url.replace(self.host, "") if response.url else ""
        for step, data in PLAN["steps"].items():
            page = response.text
            match = CURRENT_STEP.search(page)
            if not match or match.group(2) != step:
                events.request.fire(request_type="FLOW", name=f"wizard at {step}", response_time=0, response_length=0,
                                    exception=RuntimeError(f"expected step {step}"), context={})
                return
            form = {match.group(1): step, "csrfmiddlewaretoken": self.csrf(), **data}
            if step == "basic":
                form.update({"name": enterprise["name"], "credit_code": enterprise["credit_code"],
                             "region": enterprise["region"]})
            self.think()
            self.client.post(fill_url, {**form, "wizard_action": "save"}, name=f"report: save {step}")
            response = self.client.post(fill_url, {**form, "wizard_action": "next"}, name=f"report: next {step}",
                                        allow_redirects=False)
        if response.status_code != 302:
            events.request.fire(request_type="FLOW", name="report saved", response_time=0, response_length=0,
                                exception=RuntimeError(f"last step answered {response.status_code}"), context={})
            return
        submit_url = response.headers["Location"]
        if PLAN["questionnaire"]:
            self.questionnaire(submit_url)
        self.think()
        self.client.get(submit_url, name="report: submit page")
        self.think()
        data = {"csrfmiddlewaretoken": self.csrf()}
        for attempt in range(2):  # a timeout is retried: submitting is idempotent
            with self.client.post(submit_url, data, name="report: submit", allow_redirects=False,
                                  catch_response=True) as response:
                if response.status_code == 302 and response.headers.get("Location", "").rstrip("/") == "/reports":
                    ledger_add(enterprise["enterprise"], PLAN["period"])
                    break
                response.failure(f"submit answered {response.status_code} {response.headers.get('Location', '')}")
        self.client.get("/reports/", name="history")
        self.logout()

    def questionnaire(self, submit_url: str):
        url = f"/surveys/{PLAN['questionnaire']}/{PLAN['period']}/?next={submit_url}"
        response = self.client.get(url, name="questionnaire: open")
        for _ in range(5):
            match = CURRENT_STEP.search(response.text)
            if not match:
                return
            self.think()
            response = self.client.post(url, {match.group(1): match.group(2), "csrfmiddlewaretoken": self.csrf(),
                                              "wizard_action": "next", **PLAN["questionnaire_data"]},
                                        name="questionnaire: answer", allow_redirects=False)
            if response.status_code == 302:
                return


class Administrator(Portal):
    """A reviewing administrator: the review list, then 接收 of the first report waiting for them."""

    fixed_count = int(os.environ.get("BENCH_ADMINS", "2"))
    wait_time = between(2, 5)

    def on_start(self):
        with _lock:
            self.account = next(_admins)
        self.logged_in = self.login(self.account["username"], self.account["mobile"])

    @task
    def review(self):
        if not self.logged_in:
            self.logged_in = self.login(self.account["username"], self.account["mobile"])
            return
        response = self.client.get(f"/admin/review/?period={PLAN['period']}", name="admin: review list")
        found = RECEIVE.findall(response.text)
        if found:
            token = CSRF.search(response.text)
            self.client.post(found[0], {"csrfmiddlewaretoken": token.group(1) if token else self.csrf()},
                             name="admin: receive", allow_redirects=False)
