"""经济指标月报汇总查询 at national scale: the monthly summary for each grouping over N synthetic
enterprises × M months (issue #8). Not a timed test: prints its figures.

    DATABASE_URL=postgres://... .venv/bin/python bench/summary.py [--enterprises 100000] [--months 13] 

Runs against DATABASE_URL (default: a SQLite file under /tmp) — a scratch database: it is migrated and
filled with synthetic data (`gen_synthetic`'s COPY, one worker process per CPU) once, then VACUUM
ANALYZE (index-only scans need the visibility map), and reused by later runs. Each
grouping is timed as the best of `--repeat` runs, as the national administrator (the widest scope),
status 审核通过, the seed's seven indicators. The baseline is raw SQL over the facts table: the same
month's and last year's SUM(value) GROUP BY indicator, without scope, groups or enterprise filters.
Each grouping is also timed with the plain sum the page computed before growth moved to the
comparable set (issue 22 §6): one pass SUM(ytd) GROUP BY group and indicator over both months
(`plain_sum`, the former selector's query); `vs_plain` is the comparable-set summary over it.
Last line: `seconds=<slowest grouping> ratio=<slowest / raw SQL> vs_plain=<slowest ratio to the plain
sum>` (goals: ≤ 1 s, ≤ 2× raw SQL, ≤ 2× the plain sum).

A realistic size on 2 cores (20,000 × 13 generates in a few minutes), on a private PostgreSQL:
    initdb -D /tmp/pg && pg_ctl -D /tmp/pg -o "-p 5497" start && createdb -p 5497 bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5497/bench .venv/bin/python bench/summary.py --enterprises 20000
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


def raw_sql(definition_id: int, period, rows, analytics) -> None:
    """The floor: SUM of the block's grid `ytd` cells of both months, by row."""
    from reporting.models import IndicatorFact
    from reporting.periods import month_add

    table = IndicatorFact._meta.db_table
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(rows))
    sql = (f"SELECT {q('row')}, SUM(value) FROM {table} WHERE definition_id = %s AND period = %s AND field = %s "
           f"AND {q('column')} = %s AND status = 'approved' AND {q('row')} IN ({marks}) GROUP BY {q('row')}")
    with connection.cursor() as cursor:
        for when in (period, month_add(period, -12)):
            cursor.execute(sql, [definition_id, when, analytics.grid, analytics.column("ytd"), *rows])
            cursor.fetchall()


def plain_sum(*, scope, report_type, period, status, grouping, indicators) -> int:
    """The summary's facts query before the comparable set (commit 6f6d631^): SUM of both months'
    `ytd` per group and indicator for the enterprises selected this month; returns its row count."""
    from django.db.models import Count, Q, Sum

    from analytics.definition import report_analytics
    from analytics.selectors.summary import _enterprise_filters, _fine_key
    from reporting.models import IndicatorFact, Submission
    from reporting.periods import month_add

    key, _fold = _fine_key(grouping, scope)
    filters = dict(scope=scope, exclude_large=False, exclude_disabled=False)
    submissions = _enterprise_filters(Submission.objects.filter(report_type=report_type, period=period,
                                                                status=status), **filters)
    counts = list(submissions.annotate(group=key).values("group").order_by("group")
                  .annotate(n=Count("enterprise")).values_list("group", "n"))
    last_year = month_add(period, -12)
    analytics = report_analytics(report_type)
    facts = _enterprise_filters(IndicatorFact.objects.filter(
        definition_id=report_type.definition_id, period__in=[period, last_year], field=analytics.grid,
        column=analytics.column("ytd"), row__in=sorted(set(indicators) | {analytics.profit_row}), status=status),
        **filters)
    cells = (facts.filter(enterprise_id__in=submissions.values("enterprise_id"))
             .annotate(group=key).values("group", "row").order_by("group", "row")
             .annotate(total=Sum("value", filter=Q(period=period)),
                       negative=Count("enterprise", filter=Q(period=period, value__lt=0)),
                       last=Sum("value", filter=Q(period=last_year))))
    return len(counts) + len(list(cells))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    prepare(args.enterprises, args.months)

    from accounts.models import User
    from analytics.definition import report_analytics
    from analytics.enums import Grouping
    from analytics.selectors import analytics_report_type, analytics_report_types, analytics_scope, summary_compute
    from reporting.models import IndicatorFact
    from reporting.periods import period_current

    admin = User.objects.get(username="sme_admin")
    report_type = analytics_report_type(types=analytics_report_types(scope=analytics_scope(admin), indicators=True))
    analytics = report_analytics(report_type)
    period = period_current(report_type)
    scope = analytics_scope(admin)
    facts = IndicatorFact.objects.count()
    print(f"database={connection.vendor} enterprises={args.enterprises} months={args.months} facts={facts} period={period:%Y-%m}")
    rows = analytics.default_indicators("summary")
    raw = best(lambda: raw_sql(report_type.definition_id, period, sorted(set(rows) | {analytics.profit_row}),
                               analytics), args.repeat)
    print(f"raw_sql seconds={raw:.3f}")
    slowest, worst = 0.0, 0.0
    for grouping in Grouping.values:
        arguments = dict(scope=scope, report_type=report_type, period=period, status="approved",
                         grouping=grouping, indicators=rows)

        def run():
            return summary_compute(**arguments)
        seconds = best(run, args.repeat)
        plain = best(lambda: plain_sum(**arguments), args.repeat)
        summary = run()
        print(f"grouping={grouping} seconds={seconds:.3f} plain_sum={plain:.3f} vs_plain={seconds / plain:.2f} "
              f"groups={len(summary.groups)} enterprises={summary.total.enterprises} "
              f"comparable={summary.total.comparable}")
        slowest, worst = max(slowest, seconds), max(worst, seconds / plain)
    print(f"seconds={slowest:.3f} ratio={slowest / raw:.2f} vs_plain={worst:.2f}")


if __name__ == "__main__":
    main()
