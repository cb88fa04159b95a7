"""Passwords are hashed with Argon2id (issue 18 §6); PBKDF2 hashes from before verify and are upgraded at login.

The suite hashes with MD5 for speed (tests/conftest.py); these tests put back the production list
from config.settings.
"""
import importlib

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from accounts.hashers import SmeArgon2PasswordHasher
from accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Xk9#mQ2pLw"
MOBILE = "13712340001"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = importlib.import_module("config.settings").PASSWORD_HASHERS
    return settings.PASSWORD_HASHERS


def _argon2_parameters(encoded: str) -> dict:
    # $argon2id$v=19$m=32768,t=2,p=1$salt$hash
    _, variety, version, params, _salt, _hash = encoded.split("$")
    return {"variety": variety, **{k: int(v) for k, v in (p.split("=") for p in params.split(","))}}


def test_production_hashers_put_argon2id_first_and_keep_pbkdf2(production_hashers):
    assert production_hashers[0] == "accounts.hashers.SmeArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production_hashers[1:]


def test_a_new_password_is_argon2id_with_the_measured_parameters(production_hashers):
    user = User.objects.create_user(username="hashnew01", password=PASSWORD, mobile=MOBILE)
    assert user.password.startswith("argon2$argon2id$")
    assert _argon2_parameters(user.password.removeprefix("argon2")) == {
        "variety": "argon2id", "m": SmeArgon2PasswordHasher.memory_cost,
        "t": SmeArgon2PasswordHasher.time_cost, "p": SmeArgon2PasswordHasher.parallelism}
    # At least OWASP's minimum (m=19 MiB, t=2, p=1 or its equivalent m=46 MiB, t=1).
    assert SmeArgon2PasswordHasher.memory_cost * SmeArgon2PasswordHasher.time_cost >= 19 * 1024 * 2
    assert check_password(PASSWORD, user.password) and not check_password(PASSWORD + "x", user.password)


def _login_password_step(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_pbkdf2_user_logging_in_is_upgraded_to_argon2(client, production_hashers, sms_outbox):
    user = User.objects.create_user(username="hashold01", password=None, mobile=MOBILE)
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert identify_hasher(User.objects.get(pk=user.pk).password).algorithm == "pbkdf2_sha256"

    response = _login_password_step(client, "hashold01", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"
    stored = User.objects.get(pk=user.pk).password
    assert stored.startswith("argon2$argon2id$") and check_password(PASSWORD, stored)


def test_argon2_hashes_with_other_parameters_are_upgraded_too(client, production_hashers, sms_outbox):
    user = User.objects.create_user(username="hashold02", password=None, mobile=MOBILE)
    # Django's stock Argon2 parameters (t=2, m=100 MiB, p=8).
    User.objects.filter(pk=user.pk).update(password=_stock_argon2(PASSWORD))

    response = _login_password_step(client, "hashold02", PASSWORD)

    assert response.status_code == 302
    params = _argon2_parameters(User.objects.get(pk=user.pk).password.removeprefix("argon2"))
    assert (params["m"], params["t"], params["p"]) == (
        SmeArgon2PasswordHasher.memory_cost, SmeArgon2PasswordHasher.time_cost, SmeArgon2PasswordHasher.parallelism)


def _stock_argon2(password: str) -> str:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    return Argon2PasswordHasher().encode(password, Argon2PasswordHasher().salt())


def test_a_wrong_password_is_refused_and_the_old_hash_kept(client, production_hashers, sms_outbox):
    user = User.objects.create_user(username="hashold03", password=None, mobile=MOBILE)
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=user.pk).update(password=old)

    response = _login_password_step(client, "hashold03", PASSWORD + "x")

    assert response.status_code == 200
    assert "密码" in response.content.decode()
    assert User.objects.get(pk=user.pk).password == old
    assert "_auth_user_id" not in client.session
