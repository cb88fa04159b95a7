"""Project-wide fixtures: users and administrators built through the real services."""
import pytest
from django.conf import settings as django_settings


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
    """Load the reference data once per test database (tests roll back around it)."""
    from regions.services import refdata_load

    with django_db_blocker.unblock():
        refdata_load()


@pytest.fixture
def refdata(db):
    """Reference data; reloaded when a transactional test flushed the database."""
    from regions.models import Region
    from regions.services import refdata_load

    if not Region.objects.exists():
        refdata_load()
    return True


@pytest.fixture
def demo(refdata):
    """The demo administrators and enterprises of `seed_demo` (password accounts.demo.DEMO_PASSWORD)."""
    from accounts.demo import seed_demo

    seed_demo()
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
    assert not (django_settings.BASE_DIR / "platform" / "__init__.py").exists()
