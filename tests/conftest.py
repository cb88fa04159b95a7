"""Project-wide fixtures: the test clock, users and administrators built through the real services."""
import datetime
import os
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings

# -- the clock ---------------------------------------------------------------------------------
#
# The suite runs on a fixed "today" whatever the real date (issue 22): periods, deadlines, the
# demo's 14 months and every "current period" are computed from the clock, so a real clock made
# results change with the calendar. The clock ticks (tick=True): timeouts, throttles, the live
# server and polling keep working, and every test starts again at the same moment.
#
# Travel elsewhere with the marker (fixtures such as `period` then see that day too):
#     @pytest.mark.today("2027-01-01")             # 10:00 Shanghai time that day
#     @pytest.mark.today("2027-01-01T00:30")       # a naive time is Shanghai wall-clock time
# or, inside a test, with the `travel` fixture: `travel.move_to(datetime.date(2026, 12, 31))`.
# timezone.now(), timezone.localdate(), datetime.date.today() and time.time() all agree (Django
# sets TZ=Asia/Shanghai for the process and the destination carries that zone as well).

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The suite's "today": Wednesday 18 November 2026, 10:00 in Shanghai (02:00 UTC, the same date).
#: A weekday in the middle of a month, before the due day (the 20th): 当期 is 2026-10, a month
#: without the quarterly indicators (2, 5, 8, 11, 12) nor January's rules; the current quarter is
#: 2026 Q3, the current year 2025.
PINNED_NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)


def shanghai_moment(when) -> datetime.datetime:
    """`when` as an aware moment: a date (or "2027-01-01") is 10:00 that day in Shanghai; a naive
    datetime (or "2027-01-01T00:30") is Shanghai wall-clock time; an aware datetime stays as it is."""
    if isinstance(when, str):
        when = datetime.datetime.fromisoformat(when) if len(when) > 10 else datetime.date.fromisoformat(when)
    if not isinstance(when, datetime.datetime):
        when = datetime.datetime.combine(when, datetime.time(10, 0))
    return when if when.tzinfo is not None else when.replace(tzinfo=SHANGHAI)


# SME_TEST_TODAY="2027-01-01T00:30" (or "2027-01-01", 10:00 that day) runs the suite on another
# default day: how CI or a developer checks that tests hold on any date (README, "Tests on another
# date"). Tests with their own `@pytest.mark.today` keep their day.
if os.environ.get("SME_TEST_TODAY"):
    PINNED_NOW = shanghai_moment(os.environ["SME_TEST_TODAY"].strip().replace(" ", "T"))


class Travel:
    """The test's clock: `move_to(day or moment)` (Shanghai time, see `shanghai_moment`), `shift(delta)`."""

    def __init__(self, traveller):
        self._traveller = traveller

    def move_to(self, when) -> None:
        self._traveller.move_to(shanghai_moment(when))

    def shift(self, delta: datetime.timedelta) -> None:
        self._traveller.shift(delta)


@pytest.fixture(autouse=True)
def travel(request):
    """Every test starts at PINNED_NOW, or at the day of its `@pytest.mark.today(...)`; see above."""
    marker = request.node.get_closest_marker("today")
    destination = shanghai_moment(marker.args[0]) if marker else PINNED_NOW
    with time_machine.travel(destination, tick=True) as traveller:
        yield Travel(traveller)


_session_clock = None


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (zh-hans). Django's LocaleMiddleware activates a request's
    language in the test's own thread and never deactivates it, so one test's English request would
    otherwise leave the next tests of that worker in English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A fast password hasher: the real one is deliberately slow, which only slows the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # seed_demo's 14 months of reports are built only where a test asks (the `demo_reports` fixture).
    settings.DEMO_REPORTS = False
    # Tests run tasks in-process whatever broker the environment names, so the suite is the same
    # on SQLite and on PostgreSQL + Redis; .ci/run checks a real worker separately.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data and publish the shipped form definitions once per test database (tests
    roll back around them). The definitions are what `seed_demo` publishes first on any installation;
    publishing them again in each test that builds a demo was a tenth of the suite's time."""
    from formdefs.demo import seed_demo as publish_definitions
    from regions.services import refdata_load

    with django_db_blocker.unblock():
        refdata_load()
        publish_definitions()
        from django.db import connection

        if connection.vendor == "postgresql":
            _TABLES.record_baseline(connection)


@pytest.fixture
def refdata(db):
    """Reference data; reloaded when a transactional test flushed the database."""
    from regions.models import Region
    from regions.services import refdata_load

    if not Region.objects.exists():
        refdata_load()
    return True


class _TableSnapshot:
    """What a build (the full demo) wrote, table by table, to put back in later tests at a fraction of the cost.

    Every test starts from the database `django_db_setup` left (`baseline`: each table's row count and
    highest id), its own writes rolled back after it. The first test of a worker that asks for the demo
    while its database is still at that baseline builds it through the real services with its SQL captured;
    every table the build wrote to (INSERT / UPDATE / DELETE) is then read whole. A later test whose written
    tables are still at the baseline gets those tables replaced by what the build left, inside its own
    transaction (PostgreSQL's COPY, exact for every type); a test that wrote to them first (a fixture before
    `demo`), or ran after a flush, builds for real. Foreign keys are checked at the end of the transaction,
    so the order of the tables does not matter; sequences never go back, so rows a test adds get new ids.
    The demo is built relative to today: one snapshot per day. PostgreSQL only: there the full demo costs
    about 2.5 s (about 1,200 queries) and a restore a few milliseconds; SQLite builds it in about 0.45 s.
    """

    WRITES = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)

    def __init__(self):
        self.snapshots: dict = {}
        self.baseline: dict = {}
        self.with_id: set = set()

    def record_baseline(self, connection) -> None:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            self.with_id = {t for t in tables
                            if "id" in {c.name for c in connection.introspection.get_table_description(cursor, t)}}
        self.baseline = dict(zip(tables, self._state(connection, tables)))

    def _state(self, connection, tables) -> tuple:
        with connection.cursor() as cursor:
            state = []
            for table in tables:
                cursor.execute(f'SELECT COUNT(*){", MAX(id)" if table in self.with_id else ""} FROM "{table}"')
                state.append(tuple(cursor.fetchone()))
        return tuple(state)

    def _read(self, connection, table) -> bytes:
        with connection.connection.cursor() as raw, raw.copy(f'COPY "{table}" TO STDOUT') as copy:
            return b"".join(bytes(chunk) for chunk in copy)

    def _write(self, connection, table, data: bytes) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}"')
        with connection.connection.cursor() as raw, raw.copy(f'COPY "{table}" FROM STDIN') as copy:
            copy.write(data)

    @staticmethod
    def _files_present(tables) -> bool:
        """Whether every file the restored rows name (documents, images...) is in its storage."""
        from django.apps import apps
        from django.db.models import FileField

        for model in apps.get_models():
            if model._meta.db_table not in tables:
                continue
            for field in (f for f in model._meta.concrete_fields if isinstance(f, FileField)):
                for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    if name and not field.storage.exists(name):
                        return False
        return True

    def ensure(self, key: str, build) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        if connection.vendor != "postgresql":
            build()  # SQLite builds the demo in about 0.45 s: not worth a snapshot (nor its type round trips)
            return
        key = f"{key}@{timezone.localdate():%Y-%m-%d}"
        snapshot = self.snapshots.get(key)
        tables = snapshot["tables"] if snapshot else list(self.baseline)
        if not tables or self._state(connection, tables) != tuple(self.baseline[t] for t in tables):
            build()  # not where the first build started (or no baseline): build for real
            return
        if snapshot is not None:
            from django.contrib.contenttypes.models import ContentType
            from django.db import transaction
            from wagtail.models import Site

            savepoint = transaction.savepoint()
            for table, data in snapshot["data"].items():
                self._write(connection, table, data)
            ContentType.objects.clear_cache()
            Site.clear_site_root_paths_cache()
            if self._files_present(snapshot["tables"]):
                transaction.savepoint_commit(savepoint)
                return
            transaction.savepoint_rollback(savepoint)  # a file the build wrote is gone (another MEDIA_ROOT)
            Site.clear_site_root_paths_cache()
            build()
            return
        with CaptureQueriesContext(connection) as captured:
            build()
        if len(captured.captured_queries) >= connection.queries_limit:
            return  # more SQL than Django keeps: the tables written are not known, no snapshot
        written = {m.group(1) for q in captured.captured_queries if (m := self.WRITES.match(q["sql"]))}
        tables = sorted(written & set(self.baseline))
        self.snapshots[key] = {"tables": tables, "data": {t: self._read(connection, t) for t in tables}}


_TABLES = _TableSnapshot()


@pytest.fixture
def demo(refdata):
    """The demo administrators and enterprises of `seed_demo` (password accounts.demo.DEMO_PASSWORD)."""
    from accounts.demo import seed_demo

    _TABLES.ensure("demo", seed_demo)
    from accounts.models import AdministratorProfile

    return {p.user.username: p for p in AdministratorProfile.objects.select_related("user", "region")}


@pytest.fixture
def demo_core(refdata):
    """Only the demo administrators and the three approved demo enterprises (faster than `demo`)."""
    from accounts.demo import seed_demo
    from accounts.models import AdministratorProfile

    seed_demo(with_apps=False)
    return {p.user.username: p for p in AdministratorProfile.objects.select_related("user", "region")}


@pytest.fixture
def demo_reports(demo, settings):
    """The demo plus 14 months of reports for com_demo01–03 in every status (reporting/demo.py)."""
    from reporting.demo import seed_demo

    settings.DEMO_REPORTS = True
    seed_demo()
    return demo


@pytest.fixture
def sms_outbox(db):
    """Read SMS codes the way a person running the demo would: from the outbox."""
    from accounts.models import SmsMessage

    class Outbox:
        def all(self):
            return list(SmsMessage.objects.order_by("id"))

        def last_code(self, mobile):
            import re

            message = SmsMessage.objects.filter(mobile=mobile).order_by("-id").first()
            assert message is not None, f"no SMS sent to {mobile}"
            return re.search(r"\d{6}", message.text).group(0)

    return Outbox()


def pytest_configure(config):
    global _session_clock
    assert not (django_settings.BASE_DIR / "platform" / "__init__.py").exists()
    config.addinivalue_line("markers", "today(day): run the test (and its fixtures) on that day or moment, "
                                       "Shanghai time (tests/conftest.py: travel)")
    # Collection, session fixtures (the test database, the e2e snapshots) live on the pinned day too.
    _session_clock = time_machine.travel(PINNED_NOW, tick=True)
    _session_clock.start()


def pytest_unconfigure(config):
    if _session_clock is not None:
        _session_clock.stop()
