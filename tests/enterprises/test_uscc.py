import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import uscc_check_char, uscc_is_valid, validate_uscc

# Published codes of well-known organisations (public registers).
VALID = ["91350100M000100Y43", "91110000600037341L", "911100001000128855", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert uscc_is_valid(code)
    validate_uscc(code)


@pytest.mark.parametrize("code", VALID)
def test_any_single_changed_character_is_caught(code):
    for i, ch in enumerate(code):
        replacement = "1" if ch != "1" else "2"
        changed = code[:i] + replacement + code[i + 1 :]
        assert not uscc_is_valid(changed), changed


def test_messages_name_the_problem():
    with pytest.raises(ValidationError, match="18"):
        validate_uscc("91350100M000100Y4")
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100I43")
    assert exc.value.code == "uscc_charset"
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91350100M000100Y44")
    assert exc.value.code == "uscc_check"


def test_check_char_is_computed_not_looked_up():
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert uscc_check_char("91110000600037341") == "L"
