"""Shared by the bench scripts that need a scratch database (run as `python bench/<script>.py`,
after django.setup()): migrate it, give it the reference data and the demo, and top its synthetic
enterprises up to a number. Later runs reuse what an earlier run generated."""
import time


def scratch_database(enterprises: int, months: int, log=None, **options) -> dict | None:
    """Prepare the database DATABASE_URL points to; returns gen_synthetic's counts, or None when it
    already had `enterprises` synthetic enterprises. `options` go to `analytics.synthetic.generate`."""
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from accounts.demo import seed_demo
    from accounts.models import User
    from analytics.synthetic import SYNTHETIC_PREFIX, generate
    from regions.models import Region
    from regions.services import refdata_load

    if not Region.objects.exists():
        refdata_load()
    if not User.objects.filter(username="sme_admin").exists():
        seed_demo(with_apps=False)
    have = User.objects.filter(username__startswith=SYNTHETIC_PREFIX).count()
    if have >= enterprises:
        return None
    started = time.monotonic()
    counts = generate(enterprises=enterprises - have, months=months, log=log, **options)
    if log:
        log(f"generated {counts} in {time.monotonic() - started:.1f} s")
    return counts
