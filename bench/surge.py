"""The deadline surge on a production-shaped stack (issue #10 item 2).

    .venv/bin/python bench/surge.py --users 100 --duration 60 [--enterprises N] [--workers 2 --threads 8]

Starts PostgreSQL (5436), Redis (6392), gunicorn (gthread, deploy/gunicorn.conf.py) and a Celery worker
on loopback, migrates, seeds N enterprises with fillers (bulk), runs bench/loadtest/locustfile.py
headless for a bounded time, stops everything and prints as its last line

    users=<N> p95_ms=<x> errors=<n> lost=<n> duplicated=<n>

p95 is over every request of the run; errors are Locust's failures (HTTP >= 400, refused steps);
lost / duplicated compare the submissions Locust saw confirmed with what the database holds.
Requires `pip install -r bench/requirements.txt` (Locust) and PostgreSQL + Redis (apt).
"""
import argparse
import csv
import json
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
    args = parser.parse_args()

    stack = Stack(args.work, workers=args.workers, threads=args.threads)
    out = stack.work / "locust"
    try:
        t0 = time.time()
        stack.pg_start()
        stack.redis_start()
        stack.prepare()
        plan, ledger = stack.work / "plan.json", stack.work / "ledger.csv"
        ledger.unlink(missing_ok=True)
        enterprises = args.enterprises or 2 * args.users
        seeded = json.loads(stack.python(
            f"import json; from bench.loadtest.seed import seed_enterprises; "
            f"print(json.dumps(seed_enterprises({enterprises}, {str(plan)!r})))"))
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
        stack.web_stop()
        stack.celery_stop()
        if not args.keep:
            stack.redis_stop()
            stack.pg_stop()


def _stats(path: Path):
    rows = list(csv.DictReader(path.open())) if path.exists() else []
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total is None:
        return "nan", -1, 0, []
    return (total["95%"], int(total["Failure Count"]), int(total["Request Count"]),
            [r for r in rows if r["Name"] != "Aggregated"])


if __name__ == "__main__":
    sys.exit(main())
