"""The deadline surge on a production-shaped stack (issue #10 item 2).

    .venv/bin/python bench/surge.py --users 100 --duration 60 [--enterprises N] [--workers 2 --threads 8]

Starts PostgreSQL (5436), Redis (6392), gunicorn (gthread, deploy/gunicorn.conf.py) and a Celery worker
on loopback, migrates, seeds N enterprises with fillers (bulk), runs bench/loadtest/locustfile.py
headless for a bounded time, stops everything and prints as its last line

    users=<N> p95_ms=<x> errors=<n> lost=<n> duplicated=<n>

p95 is over every request of the run; errors are Locust's failures (HTTP >= 400, refused steps);
lost / duplicated compare the submissions Locust saw confirmed with what the database holds.
Requires `pip install -r bench/requirements.txt` (Locust) and PostgreSQL + Redis (apt).

    .venv/bin/python bench/surge.py --ratio [--step-seconds 30] [--steady-seconds 60]

The surge goal as a per-core ratio (issue 18 §6; the developers' guide: not 1,000 users on this machine):
(a) ideal: one filler alone, no think time, runs a few journeys; the sum over the journey's requests
    of each request's median time is the cost of one journey on one core, so the ideal is
    1 / sum journeys/s per core; (b) saturation: fillers with no think time, stepped up (1, 2, 3, 4,
    6, 8, 12, 16) until requests/s stop growing (two steps in a row < 5 % over the best, from 4 users
    on: fewer may all sit on one gunicorn worker) or p95 explodes (> 10 x the ideal p95); journeys/s = requests/s / requests per journey, per core = / os.cpu_count();
    (c) the same stack at 70 % of that rate (journeys paced by Locust's constant_pacing), reporting p95.
Last line: cores=.. ideal_jps_per_core=.. saturation_jps_per_core=.. ratio=.. p95_at_70pct_ms=..
errors=.. load=.. PASS|FAIL (goal: ratio >= 0.5 and 0 errors). Locust, PostgreSQL, Redis and Celery share
the machine's cores with gunicorn (and, on a shared machine, with whatever else runs: the load
average is printed before and after each phase), so the per-core figures are of the whole stack.
Administrators are left out: the journey is the filler's.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadtest.stack import ROOT, Stack, log  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100, help="concurrent simulated users (fillers; 2 administrators among them)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load after the ramp starts")
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started per second (default users/10)")
    parser.add_argument("--enterprises", type=int, default=None, help="seeded enterprises (default 2 x users)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    parser.add_argument("--think", default="2,6", help="think time between pages, seconds min,max")
    parser.add_argument("--work", default="/tmp/sme-bench", help="work directory (PostgreSQL data, logs)")
    parser.add_argument("--keep", action="store_true", help="leave PostgreSQL and Redis running afterwards")
    parser.add_argument("--ratio", action="store_true", help="the per-core ratio mode (ideal, saturation, 70 %%)")
    parser.add_argument("--step-seconds", type=int, default=30, help="--ratio: seconds per user step")
    parser.add_argument("--steady-seconds", type=int, default=60, help="--ratio: seconds at 70 %% of saturation")
    parser.add_argument("--ideal-journeys", type=int, default=6, help="--ratio: journeys of the lone filler")
    args = parser.parse_args()
    if args.ratio:
        return ratio_main(args)

    stack = Stack(args.work, workers=args.workers, threads=args.threads)
    out = stack.work / "locust"
    try:
        t0 = time.time()
        stack.pg_start()
        stack.redis_start()
        stack.prepare()
        plan, ledger, seeded = stack.seed(args.enterprises or 2 * args.users)
        log(f"seeded {seeded['enterprises']} enterprises for {seeded['period']} in {time.time() - t0:.0f}s")
        stack.web_start()
        stack.celery_start()
        out.mkdir(parents=True, exist_ok=True)
        spawn_rate = args.spawn_rate or max(1.0, args.users / 10)
        env = stack.env(BENCH_PLAN=plan, BENCH_LEDGER=ledger, BENCH_THINK=args.think,
                        BENCH_DATABASE_URL=stack.env()["DATABASE_URL"].replace("postgres://", "postgresql://"))
        command = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "loadtest" / "locustfile.py"),
                   "--headless", "-u", str(args.users), "-r", str(spawn_rate), "-t", f"{args.duration}s",
                   "--host", stack.url, "--csv", str(out / "surge"), "--only-summary", "--stop-timeout", "30",
                   "--loglevel", "WARNING"]
        log("running: " + " ".join(command))
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        (out / "locust.log").write_text(done.stdout + done.stderr)
        stack.web_stop()
        stack.celery_stop()
        check = json.loads(stack.python(
            f"import json; from bench.loadtest.seed import ledger_check; print(json.dumps(ledger_check({str(ledger)!r})))"))
        p95, errors, requests, rows = _stats(out / "surge_stats.csv")
        for row in rows:
            log(f"  {row['Name'][:34]:34} n={row['Request Count']:>6} fail={row['Failure Count']:>4} "
                f"p50={row['50%']:>6} p95={row['95%']:>6} max={float(row['Max Response Time']):>8.0f}")
        log(f"requests={requests} submitted(confirmed)={check['recorded']} submitted(in database)={check['in_database']} "
            f"unconfirmed={check['unconfirmed']}; logs in {stack.work}")
        print(f"users={args.users} p95_ms={p95} errors={errors} lost={check['lost']} duplicated={check['duplicated']}")
        return 0 if errors == 0 and check["lost"] == 0 and check["duplicated"] == 0 else 1
    finally:
        stack.stop(keep=args.keep)


# -- the per-core ratio (--ratio) ------------------------------------------------------------------
USER_STEPS = (1, 2, 4, 6, 8, 12, 16)
MIN_SATURATION_USERS = 4  # fewer users may all sit on one gunicorn worker (keep-alive): not saturation yet
SLICE = 200  # enterprises per Locust run: no 30-60 s run on two cores completes more journeys


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


class Runs:
    """Locust runs on one seeded stack, each on its own slice of the plan's enterprises."""

    def __init__(self, stack: Stack, plan: Path, ledger: Path):
        self.stack, self.plan, self.ledger, self.count = stack, plan, ledger, 0
        self.out = stack.work / "locust"
        self.out.mkdir(parents=True, exist_ok=True)

    def run(self, label: str, *, users: int = 1, seconds: int = 600, journeys: int = SLICE, pacing: float = 0.0,
            spawn_rate: float | None = None) -> dict:
        """Run Filler users for `seconds` or until they have taken `journeys` enterprises of their slice."""
        first = self.count * SLICE
        self.count += 1
        env = self.stack.env(BENCH_PLAN=self.plan, BENCH_LEDGER=self.ledger, BENCH_THINK="0,0", BENCH_WAIT="0,0",
                             BENCH_PACING=pacing, BENCH_PLAN_FIRST=first, BENCH_PLAN_COUNT=min(journeys, SLICE),
                             BENCH_QUIT_AT_END=1,
                             BENCH_DATABASE_URL=self.stack.env()["DATABASE_URL"].replace("postgres://", "postgresql://"))
        prefix = self.out / label
        command = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "loadtest" / "locustfile.py"),
                   "--headless", "-u", str(users), "-r", f"{spawn_rate or users:.3f}", "-t", f"{seconds}s", "--host", self.stack.url,
                   "--csv", str(prefix), "--only-summary", "--stop-timeout", "20", "--loglevel", "WARNING", "Filler"]
        load_before = _load()
        started = time.time()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        (self.out / f"{label}.log").write_text(done.stdout + done.stderr)
        rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").open())) if Path(f"{prefix}_stats.csv").exists() else []
        total = next((r for r in rows if r["Name"] == "Aggregated"), None)
        if total is None:
            raise RuntimeError(f"Locust wrote no stats for {label}; see {self.out / (label + '.log')}")
        by_name = {r["Name"]: r for r in rows if r["Name"] != "Aggregated"}
        submit = by_name.get("report: submit")
        journeys = int(submit["Request Count"]) - int(submit["Failure Count"]) if submit else 0
        return {"label": label, "users": users, "rows": by_name, "requests": int(total["Request Count"]),
                "errors": int(total["Failure Count"]), "rps": float(total["Requests/s"]), "p95": float(total["95%"]),
                "journeys": journeys, "seconds": time.time() - started, "load": f"{load_before}->{_load()}"}


def ratio_main(args) -> int:
    stack = Stack(args.work, workers=args.workers, threads=args.threads)
    cores = os.cpu_count() or 1
    try:
        t0 = time.time()
        stack.pg_start()
        stack.redis_start()
        stack.prepare()
        plan, ledger, seeded = stack.seed(SLICE * (len(USER_STEPS) + 2))
        log(f"seeded {seeded['enterprises']} enterprises for {seeded['period']} in {time.time() - t0:.0f}s; load {_load()}")
        stack.web_start()
        stack.celery_start()
        runs = Runs(stack, plan, ledger)
        runs.run("warmup", journeys=2)  # the first requests of each worker compile definitions, fill caches

        # (a) the ideal: one filler alone, journey after journey, no think time
        ideal = runs.run("ideal", journeys=args.ideal_journeys)
        if ideal["journeys"] < 1:
            raise RuntimeError("the lone filler completed no journey; see the Locust logs in " + str(runs.out))
        per_journey = {name: int(r["Request Count"]) / ideal["journeys"] for name, r in ideal["rows"].items()}
        cost = {name: per_journey[name] * float(r["50%"]) for name, r in ideal["rows"].items()}
        journey_ms = sum(cost.values())
        requests_per_journey = sum(per_journey.values())
        ideal_jps_per_core = 1000 / journey_ms
        log(f"ideal: {ideal['journeys']} journeys, {requests_per_journey:.1f} requests each, sum of medians "
            f"{journey_ms:.0f} ms -> {ideal_jps_per_core:.3f} journeys/s per core; load {ideal['load']}")
        for name in sorted(cost, key=cost.get, reverse=True):
            r = ideal["rows"][name]
            log(f"  {name[:34]:34} x{per_journey[name]:4.1f} p50={r['50%']:>5} ms  {cost[name]:7.0f} ms/journey "
                f"({100 * cost[name] / journey_ms:4.1f} %)")

        # (b) saturation: users stepped up with no think time until requests/s stop growing or p95 explodes
        steps, best, flat = [], None, 0
        for users in USER_STEPS:
            step = runs.run(f"step{users:02d}", users=users, seconds=args.step_seconds)
            step["jps"] = step["rps"] / requests_per_journey
            steps.append(step)
            log(f"step users={users:2d}: {step['rps']:6.1f} req/s = {step['jps']:.2f} journeys/s, p95={step['p95']:.0f} ms, "
                f"errors={step['errors']}, journeys done={step['journeys']}; load {step['load']}")
            grew = best is None or step["rps"] >= best["rps"] * 1.05
            if best is None or step["rps"] > best["rps"]:
                best = step
            flat = 0 if grew else flat + 1
            # Stop at the second step in a row without growth, or when p95 explodes.
            if users >= MIN_SATURATION_USERS and (flat >= 2 or step["p95"] > 10 * ideal["p95"]):
                break
        saturation_jps_per_core = best["jps"] / cores
        log(f"saturation: {best['users']} users, {best['rps']:.1f} req/s, {best['jps']:.2f} journeys/s "
            f"= {saturation_jps_per_core:.3f} per core")

        # (c) 70 % of the saturation rate, journeys paced (twice the saturation users, so arrivals spread)
        users = max(2, 2 * best["users"])
        rate = 0.7 * best["jps"]
        # Users start spread over one pacing interval, so their journeys arrive evenly, not in bursts.
        pacing = users / rate
        steady = runs.run("steady70", users=users, seconds=int(args.steady_seconds + pacing), pacing=pacing,
                          spawn_rate=users / pacing)
        log(f"at 70 %: {users} users paced every {users / rate:.1f} s (target {rate:.2f} journeys/s): "
            f"{steady['rps']:.1f} req/s = {steady['rps'] / requests_per_journey:.2f} journeys/s, p95={steady['p95']:.0f} ms, "
            f"errors={steady['errors']}; load {steady['load']}")

        stack.web_stop()
        stack.celery_stop()
        check = json.loads(stack.python(
            f"import json; from bench.loadtest.seed import ledger_check; print(json.dumps(ledger_check({str(ledger)!r})))"))
        counted = [ideal, *[s for s in steps if s["users"] <= best["users"]], steady]
        errors = sum(r["errors"] for r in counted) + check["lost"] + check["duplicated"]
        overload = sum(s["errors"] for s in steps if s["users"] > best["users"])
        log(f"submitted(confirmed)={check['recorded']} in database={check['in_database']} lost={check['lost']} "
            f"duplicated={check['duplicated']}; errors past saturation (not counted)={overload}; "
            f"{time.time() - t0:.0f} s in all; logs in {stack.work}")
        ratio = saturation_jps_per_core / ideal_jps_per_core
        ok = ratio >= 0.5 and errors == 0
        print(f"cores={cores} ideal_jps_per_core={ideal_jps_per_core:.3f} saturation_jps_per_core={saturation_jps_per_core:.3f} "
              f"ratio={ratio:.2f} p95_at_70pct_ms={steady['p95']:.0f} errors={errors} load={_load()} "
              f"{'PASS' if ok else 'FAIL'} (ratio >= 0.5, errors = 0)")
        return 0 if ok else 1
    finally:
        stack.stop(keep=args.keep)


def _stats(path: Path):
    rows = list(csv.DictReader(path.open())) if path.exists() else []
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total is None:
        return "nan", -1, 0, []
    return (total["95%"], int(total["Failure Count"]), int(total["Request Count"]),
            [r for r in rows if r["Name"] != "Aggregated"])


if __name__ == "__main__":
    sys.exit(main())
