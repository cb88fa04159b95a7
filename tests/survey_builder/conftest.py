"""Designers, enterprises and periods for the questionnaire tests (built through the real services)."""
import pytest


@pytest.fixture
def admins(demo_core):
    """{username: User} of the demo administrators (each holds the survey permission through its group)."""
    return {name: profile.user for name, profile in demo_core.items()}


@pytest.fixture
def designer(admins):
    return admins["sme_ningbo"]


@pytest.fixture
def monthly(demo_core):
    from reporting.demo import _ensure_types

    report_type, questionnaire, _lines = _ensure_types()
    return report_type, questionnaire


@pytest.fixture
def period(monthly):
    from reporting.periods import period_current

    return period_current(monthly[0])


@pytest.fixture
def enterprises(demo_core):
    """com_demo01 (Ningbo Haishu, manufacturing), com_demo02 (Ningbo Jiangbei, software), com_demo03 (Hangzhou, food)."""
    from enterprises.models import Enterprise

    rows = Enterprise.objects.select_related("industry", "region", "filler").filter(user__username__startswith="com_demo")
    return {e.user.username: e for e in rows}
