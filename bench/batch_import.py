"""企业上报导入 throughput: a 2,000-enterprise batch file imported through the Celery task (eager).

Builds the file with `batch_template_build` + openpyxl, creates the job through the service (the
upload check and the template check included) and runs every chunk (the first from the task, the
next ones as the job page's progress poll runs them without a broker); every row is
saved (地方管理员导入) and submitted. SQLite in memory; one run. The enterprises are copies of
com_demo01, each with a copy of its approved report of the month before (built through the
reporting services): a batch row holds only the figures, and the required 基本信息 come from that
report's prefill, as for a real enterprise (rows without them are refused, issue 22 §5).
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
    from imports.services import import_job_advance, import_job_create
    from regions.services import refdata_load
    from reporting.demo import _ensure_types, monthly_answers
    from reporting.periods import period_current
    from tests.imports.builders import BatchFile, approved_before, enterprises_like
    from tests.reporting.conftest import Builder

    refdata_load()
    seed_demo(with_apps=False)
    report_type, questionnaire, _lines = _ensure_types()
    period = period_current(report_type)
    template = Enterprise.objects.get(user__username="com_demo01")
    previous = approved_before(Builder(report_type, questionnaire), template, period)
    many = enterprises_like(template, rows, approved=previous)
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
    job.refresh_from_db()  # eager: on_commit runs the first chunk at once outside a transaction
    chunks = 1
    while not job.is_finished:  # eager, the job page's progress poll runs each next chunk
        import_job_advance(job=job)
        job.refresh_from_db()
        chunks += 1
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    assert (job.status, job.imported) == ("done", rows), (job.status, job.imported, job.message)
    print(f"file: {len(data) / 1024:.0f} KiB, {rows} enterprise rows, {chunks} chunks")
    print(f"imported {job.imported} rows in {elapsed:.1f} s: {rows / elapsed:.1f} rows/second")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 2000, "--profile" in sys.argv)
