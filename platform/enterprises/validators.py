"""统一社会信用代码 (unified social credit code) validation, GB 32100-2015."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != 18 or any(ch not in USCC_CHARSET for ch in code):
        return False
    if not code[2:8].isdigit():  # characters 3–8: the registering authority's region code
        return False
    return uscc_check_char(code[:17]) == code[17]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("The unified social credit code has 18 characters."), code="uscc_length")
    bad = sorted({ch for ch in code if ch not in USCC_CHARSET})
    if bad:
        raise ValidationError(
            _("The unified social credit code may not contain: %(chars)s") % {"chars": " ".join(bad)},
            code="uscc_charset",
        )
    if not uscc_is_valid(code):
        raise ValidationError(_("The unified social credit code's check character is wrong."), code="uscc_check")
