"""经济指标月报汇总查询 at national scale: the monthly summary for each grouping over N synthetic
enterprises × M months (issue #8). Not a timed test: prints its figures.

    DATABASE_URL=postgres://... .venv/bin/python bench/summary.py [--enterprises 100000] [--months 13] 

Runs against DATABASE_URL (default: a SQLite file under /tmp) — a scratch database: it is migrated and
filled with synthetic data (`gen_synthetic`'s COPY, one worker process per CPU) once, then VACUUM
ANALYZE (index-only scans need the visibility map), and reused by later runs. Each
grouping is timed as the best of `--repeat` runs, as the national administrator (the widest scope),
status 审核通过, the seed's seven indicators. The baseline is raw SQL over the facts table: the same
month's and last year's SUM(value) GROUP BY indicator, without scope, groups or enterprise filters.
Last line: `seconds=<slowest grouping> ratio=<slowest / raw SQL>` (goals: ≤ 1 s and ≤ 2×).
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/sme-bench-summary.sqlite3")
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from scratch import scratch_database  # noqa: E402  (bench/scratch.py)


def prepare(enterprises: int, months: int):
    counts = scratch_database(enterprises, months, batch=2000, workers=os.cpu_count() or 1,
                              log=lambda line: print("  " + line, file=sys.stderr))
    if counts and connection.vendor == "postgresql":  # index-only scans need the visibility map
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE") if connection.get_autocommit() else cursor.execute("ANALYZE")


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def raw_sql(definition_id: int, period, rows) -> None:
    from reporting.models import IndicatorFact
    from reporting.periods import month_add

    table = IndicatorFact._meta.db_table
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(rows))
    sql = (f"SELECT {q('row')}, SUM(value) FROM {table} WHERE definition_id = %s AND period = %s AND field = 'ind' "
           f"AND {q('column')} = 'ytd' AND status = 'approved' AND {q('row')} IN ({marks}) GROUP BY {q('row')}")
    with connection.cursor() as cursor:
        for when in (period, month_add(period, -12)):
            cursor.execute(sql, [definition_id, when, *rows])
            cursor.fetchall()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prepare(args.enterprises, args.months)

    from accounts.models import User
    from analytics.enums import SUMMARY_DEFAULT_INDICATORS, Grouping
    from analytics.selectors import analytics_scope, summary_compute
    from reporting.models import IndicatorFact
    from reporting.periods import period_current
    from reporting.selectors import report_type_default

    report_type = report_type_default()
    period = period_current(report_type)
    scope = analytics_scope(User.objects.get(username="sme_admin"))
    facts = IndicatorFact.objects.count()
    print(f"database={connection.vendor} enterprises={args.enterprises} months={args.months} facts={facts} period={period:%Y-%m}")
    rows = list(SUMMARY_DEFAULT_INDICATORS)
    raw = best(lambda: raw_sql(report_type.definition_id, period, sorted(set(rows) | {"profit"})), args.repeat)
    print(f"raw_sql seconds={raw:.3f}")
    slowest = 0.0
    for grouping in Grouping.values:
        def run():
            return summary_compute(scope=scope, report_type=report_type, period=period, status="approved",
                                   grouping=grouping, indicators=rows)
        seconds = best(run, args.repeat)
        summary = run()
        print(f"grouping={grouping} seconds={seconds:.3f} groups={len(summary.groups)} enterprises={summary.total.enterprises}")
        slowest = max(slowest, seconds)
    print(f"seconds={slowest:.3f} ratio={slowest / raw:.2f}")


if __name__ == "__main__":
    main()
