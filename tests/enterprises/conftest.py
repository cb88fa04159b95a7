"""Fixtures for enterprises: users, registration answers and registrations built through the services."""
import itertools

import pytest

from enterprises.demo import registration_answers

_serial = itertools.count(1)


def credit_code(region: str = "330203") -> str:
    """A fresh valid unified social credit code (GB 32100 check character)."""
    from enterprises.validators import uscc_check_char

    first17 = f"91{region}MA{next(_serial):07d}"
    return first17 + uscc_check_char(first17)


@pytest.fixture
def make_user(db):
    """make_user(login, mobile=None): an enterprise user (as account registration makes them)."""
    from accounts.models import User

    counter = itertools.count(1)

    def _make(username=None, mobile=None, **extra):
        n = next(counter)
        username = username or f"ent_user{n:02d}"
        user = User.objects.create_user(username=username, password="Xk9#mQ2pLw", email=f"{username}@example.com",
                                        mobile=mobile or f"1370000{n:04d}", real_name=extra.pop("real_name", f"用户{n}"), **extra)
        return user

    return _make


@pytest.fixture
def answers():
    """answers(**overrides): a complete, valid set of registration answers with a fresh name and code."""

    def _answers(**overrides):
        n = next(_serial)
        defaults = {"name": f"宁波测试企业{n:03d}有限公司", "credit_code": credit_code(overrides.get("region", "330203"))}
        return registration_answers(**{**defaults, **overrides})

    return _answers


@pytest.fixture
def register(demo, make_user, answers):
    """register(user=None, **answer_overrides) -> a pending Enterprise registered through the service."""
    from enterprises.services import enterprise_register

    def _register(user=None, **overrides):
        user = user or make_user()
        return enterprise_register(user=user, answers=answers(**overrides), actor=user)

    return _register


@pytest.fixture
def admin_user(demo):
    """admin_user(login): the demo administrators (sme_admin national, sme_zhejiang, sme_ningbo, sme_haishu)."""
    return lambda login: demo[login].user


@pytest.fixture
def make_admin(demo):
    """make_admin(login, parent_login, region_code, level, **flags): another administrator via the service."""
    from accounts.services import administrator_create
    from regions.selectors import region_by_code

    def _make(login, parent_login, region_code, level, **flags):
        parent = demo[parent_login]
        profile = administrator_create(actor=parent.user, parent=parent, username=login, password="Xk9#mQ2pLw",
                                       mobile=f"1390009{next(_serial) % 10000:04d}", region=region_by_code(region_code, level=level),
                                       organisation=login, real_name=login, **flags)
        return profile.user

    return _make
