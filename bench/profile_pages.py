"""The surge journey's pages one by one: time and queries per request, and a profile of the three costliest.

Run: python bench/profile_pages.py [--journeys 5] [--profile 3] [--top 25]

Walks the filler journey of bench/loadtest/locustfile.py (login with password and SMS code, home,
当期报送, the three wizard steps saved then next, the mandatory questionnaire, the submit page, 上报,
历史报送) with Django's test client on a scratch SQLite database seeded as the surge seeds
(bench/loadtest/seed.py), with the production password hashers. One journey warms the caches; then
each request's median time and its query count (CaptureQueriesContext) over --journeys journeys are
printed, costliest first, and the --profile costliest pages are run once more under cProfile
(cumulative time, --top lines each) on a fresh journey.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CURRENT_STEP = re.compile(r'name="([^"]+-current_step)" value="([^"]+)"')


class Journey:
    """One filler's journey through the test client; `measure` is called around every request."""

    def __init__(self, plan: dict, enterprise: dict, measure):
        self.plan, self.enterprise, self.measure = plan, enterprise, measure
        self.client = Client()

    def request(self, name: str, method: str, url: str, data=None, follow=False):
        call = getattr(self.client, method)
        return self.measure(name, lambda: call(url, data or {}, follow=follow))

    def run(self) -> None:
        from accounts.models import SmsMessage

        e, plan = self.enterprise, self.plan
        self.request("login page", "get", "/accounts/login/")
        response = self.request("login: password", "post", "/accounts/login/",
                                {"username": e["username"], "password": plan["password"]})
        assert response.status_code == 302, response.status_code
        code = re.search(r"\d{6}", SmsMessage.objects.filter(mobile=e["mobile"]).order_by("-id").first().text).group(0)
        assert self.request("login: SMS code", "post", "/accounts/login/verify/", {"code": code}).status_code == 302
        self.request("home", "get", "/")
        response = self.request("report: open current", "get", "/reports/current/", follow=True)
        fill_url = response.request["PATH_INFO"] + ("?" + response.request["QUERY_STRING"]
                                                    if response.request.get("QUERY_STRING") else "")
        for step, data in plan["steps"].items():
            match = CURRENT_STEP.search(response.content.decode())
            assert match and match.group(2) == step, (step, match and match.group(2))
            form = {match.group(1): step, **data}
            if step == "basic":
                form.update({"name": e["name"], "credit_code": e["credit_code"], "region": e["region"]})
            self.request(f"report: save {step}", "post", fill_url, {**form, "wizard_action": "save"})
            response = self.request(f"report: next {step}", "post", fill_url, {**form, "wizard_action": "next"})
        assert response.status_code == 302, response.status_code
        submit_url = response["Location"]
        if plan["questionnaire"]:
            url = f"/surveys/{plan['questionnaire']}/{plan['period']}/?next={submit_url}"
            response = self.request("questionnaire: open", "get", url)
            for _ in range(5):
                match = CURRENT_STEP.search(response.content.decode())
                if not match:
                    break
                response = self.request("questionnaire: answer", "post", url, {
                    match.group(1): match.group(2), "wizard_action": "next", **plan["questionnaire_data"]})
                if response.status_code == 302:
                    break
        self.request("report: submit page", "get", submit_url)
        response = self.request("report: submit", "post", submit_url)
        assert response.status_code == 302 and response["Location"].rstrip("/") == "/reports", response.status_code
        self.request("history", "get", "/reports/")
        self.request("logout", "post", "/accounts/logout/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--journeys", type=int, default=5)
    parser.add_argument("--profile", type=int, default=3, help="how many of the costliest pages to profile")
    parser.add_argument("--top", type=int, default=25, help="lines of each profile")
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    from django.conf import settings

    from bench.loadtest.seed import base_seed, seed_enterprises

    # setup_test_environment keeps the settings' hashers; the surge pays the production ones.
    base_seed()
    plan_path = Path(tempfile.mkdtemp()) / "plan.json"
    seed_enterprises(args.journeys + 2, str(plan_path))
    plan = json.loads(plan_path.read_text())
    enterprises = iter(plan["enterprises"])
    print(f"hashers: {settings.PASSWORD_HASHERS[0]}; load {os.getloadavg()[0]:.1f}", file=sys.stderr)

    def plain(name, call):
        return call()

    Journey(plan, next(enterprises), plain).run()  # warm-up: compiles, caches, first-use imports

    times, queries, order, sql = defaultdict(list), defaultdict(list), [], defaultdict(Counter)

    def measure(name, call):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call()
            elapsed = time.perf_counter() - start
        if name not in times:
            order.append(name)
        times[name].append(elapsed * 1000)
        queries[name].append(len(captured))
        for query in captured.captured_queries:
            sql[name][re.sub(r"\b\d+\b", "N", query["sql"])[:160]] += 1
        return response

    for _ in range(args.journeys):
        Journey(plan, next(enterprises), measure).run()
    per_journey = {name: len(times[name]) / args.journeys for name in order}
    cost = {name: statistics.median(times[name]) * per_journey[name] for name in order}
    total = sum(cost.values())
    print(f"{'request':32} {'x/journey':>9} {'median ms':>9} {'ms/journey':>10} {'queries':>8}")
    for name in sorted(order, key=cost.get, reverse=True):
        print(f"{name:32} {per_journey[name]:9.1f} {statistics.median(times[name]):9.1f} {cost[name]:10.1f} "
              f"{statistics.median(queries[name]):8.0f}")
    print(f"{'journey':32} {'':9} {'':9} {total:10.1f} {sum(statistics.median(queries[n]) * per_journey[n] for n in order):8.0f}")

    costliest = sorted(order, key=cost.get, reverse=True)[:args.profile]
    profiles = {name: cProfile.Profile() for name in costliest}

    def profiled(name, call):
        if name not in profiles:
            return call()
        profiles[name].enable()
        try:
            return call()
        finally:
            profiles[name].disable()

    Journey(plan, next(enterprises), profiled).run()
    for name in costliest:
        out = io.StringIO()
        # Our code only: the framework's frames above it say nothing about what to cut.
        pstats.Stats(profiles[name], stream=out).sort_stats("cumulative").print_stats(
            r"/work/main/(platform|formdefs|survey_builder|cms)/", args.top)
        print(f"\n=== profile: {name} ===")
        print("\n".join(line[:200] for line in out.getvalue().splitlines() if line.strip()))
        repeated = [(n / args.journeys, q) for q, n in sql[name].most_common(8) if n > args.journeys]
        print(f"--- repeated queries of {name} (per request) ---")
        for n, query in repeated:
            print(f"{n:5.0f} x {query}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
