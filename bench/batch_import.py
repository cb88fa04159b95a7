"""企业上报导入 throughput: a 2,000-enterprise batch file imported through the Celery task (eager).

Builds the file with `batch_template_build` + openpyxl, creates the job through the service (the
upload check and the template check included) and lets the task run every chunk; every row is
saved (地方管理员导入) and submitted. SQLite in memory; one run.
Run: python bench/batch_import.py [rows] [--profile]   (prints rows/second last)
"""
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.pop("CELERY_BROKER_URL", None)  # eager: the chunks run in this process

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main(rows: int, profile: bool) -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    from accounts.demo import seed_demo
    from accounts.models import User
    from enterprises.models import Enterprise
    from imports.services import import_job_create
    from regions.services import refdata_load
    from reporting.demo import _ensure_types, monthly_answers
    from reporting.periods import period_current
    from tests.imports.builders import BatchFile, enterprises_like

    refdata_load()
    seed_demo(with_apps=False)
    report_type, _questionnaire, _lines = _ensure_types()
    period = period_current(report_type)
    template = Enterprise.objects.get(user__username="com_demo01")
    many = enterprises_like(template, rows)
    batch = BatchFile(report_type)
    cells = batch.values(monthly_answers(enterprise=template, period=period)["ind"])
    for enterprise in many:
        batch.add(enterprise.credit_code, enterprise.name, cells=cells)
    data = batch.data()
    actor = User.objects.get(username="sme_ningbo")

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    job = import_job_create(actor=actor, report_type=report_type, period=period, file=data, file_name="bench.xlsx")
    job.refresh_from_db()  # eager: on_commit runs at once outside a transaction
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    assert (job.status, job.imported) == ("done", rows), (job.status, job.imported, job.message)
    print(f"file: {len(data) / 1024:.0f} KiB, {rows} enterprise rows")
    print(f"imported {job.imported} rows in {elapsed:.1f} s: {rows / elapsed:.1f} rows/second")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 2000, "--profile" in sys.argv)
