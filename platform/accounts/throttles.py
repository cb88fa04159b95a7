"""Throttles of the account pages: SMS budgets, the per-account login slowdown and the
forgot-password (忘记密码) real-name attempt limit.

All are counted in the database rather than a per-process cache, so they hold across web workers,
and all key on `accounts.client_address.client_address`, never on the proxy's REMOTE_ADDR.
Each check raises ValidationError naming when to retry (seconds, or Shanghai local time).
"""
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import SmsPurpose
from .models import PasswordResetCheckFailure, SmsCode

HOUR = timedelta(hours=1)


class Throttled(ValidationError):
    """A limit refused the request; `retry_at` is when it will be allowed again."""

    def __init__(self, message, *, retry_at: datetime, code: str = "sms_throttled"):
        super().__init__(message, code=code)
        self.retry_at = retry_at


def _local_minute(moment: datetime) -> str:
    # Rounded up, so "after 10:36" is never a minute early.
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local.strftime("%H:%M")


def _window_reopens(queryset, *, limit: int, now: datetime) -> datetime | None:
    """When a rolling one-hour count of `queryset` drops below `limit`, or None if it is below now."""
    times = list(queryset.filter(created_at__gte=now - HOUR).order_by("created_at").values_list("created_at", flat=True))
    if len(times) < limit:
        return None
    return times[len(times) - limit] + HOUR


def sms_budget_purposes(purpose: str) -> list[str]:
    """Login codes and all other codes are separate budgets: asking for registration, password-reset
    or change-of-mobile codes never uses up the codes a mobile or an address has for logging in."""
    if purpose == SmsPurpose.LOGIN:
        return [SmsPurpose.LOGIN]
    return [SmsPurpose.REGISTER, SmsPurpose.RESET_PASSWORD, SmsPurpose.CHANGE_MOBILE]


def sms_throttle_check(*, mobile: str, purpose: str, ip: str | None) -> None:
    """Refuse a code for (mobile, purpose) while a limit holds: one per SMS_MOBILE_INTERVAL per
    purpose, SMS_MOBILE_HOURLY_LIMIT per mobile and SMS_IP_HOURLY_LIMIT per client address, per budget."""
    now = timezone.now()
    last = (
        SmsCode.objects.filter(mobile=mobile, purpose=purpose, created_at__gte=now - settings.SMS_MOBILE_INTERVAL)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None:
        retry_at = last + settings.SMS_MOBILE_INTERVAL
        seconds = max(1, math.ceil((retry_at - now).total_seconds()))
        raise Throttled(
            _("A code was sent to this mobile less than %(interval)s seconds ago; "
              "please try again in %(seconds)s seconds.")
            % {"interval": int(settings.SMS_MOBILE_INTERVAL.total_seconds()), "seconds": seconds},
            retry_at=retry_at,
        )
    budget = SmsCode.objects.filter(purpose__in=sms_budget_purposes(purpose))
    retry_at = _window_reopens(budget.filter(mobile=mobile), limit=settings.SMS_MOBILE_HOURLY_LIMIT, now=now)
    if retry_at is not None:
        message = (
            _("Too many login codes were sent to this mobile in the last hour; please try again after %(time)s.")
            if purpose == SmsPurpose.LOGIN
            else _("Too many codes were sent to this mobile in the last hour; please try again after %(time)s.")
        )
        raise Throttled(message % {"time": _local_minute(retry_at)}, retry_at=retry_at)
    if ip:
        retry_at = _window_reopens(budget.filter(ip=ip), limit=settings.SMS_IP_HOURLY_LIMIT, now=now)
        if retry_at is not None:
            raise Throttled(
                _("Too many codes were requested from your network in the last hour; "
                  "please try again after %(time)s.") % {"time": _local_minute(retry_at)},
                retry_at=retry_at,
            )


def login_slowdown_check(*, username: str, ip: str | None) -> None:
    """Per login name across all addresses: after LOGIN_SLOWDOWN_AFTER failed logins within the axes
    cool-off time, the next attempt waits 2**k seconds after the last failure (k = failures beyond the
    threshold + 1), capped at LOGIN_SLOWDOWN_MAX_SECONDS.

    The owner is slowed, never locked out, however many addresses an attacker uses; the name + address
    lockout of django-axes still stops one address. An address this login name logged in from within
    LOGIN_KNOWN_ADDRESS_DAYS is not slowed, so an attacker who keeps failing right after each wait
    cannot keep the owner out from their usual office. The failures and logins are axes' own records.
    """
    from axes.models import AccessAttempt, AccessLog

    if not username:
        return
    now = timezone.now()
    known_since = now - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    if ip and AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=known_since).exists():
        return
    # Exact names, as the login's own lookup (and axes' username index): "Admin" guesses nothing about "admin".
    recent = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures, last = recent["failures"] or 0, recent["last"]
    beyond = failures - settings.LOGIN_SLOWDOWN_AFTER
    if last is None or beyond < 0:
        return
    delay = min(2 ** min(beyond + 1, 30), settings.LOGIN_SLOWDOWN_MAX_SECONDS)
    retry_at = last + timedelta(seconds=delay)
    if retry_at > now:
        seconds = max(1, math.ceil((retry_at - now).total_seconds()))
        raise Throttled(
            _("There have been many failed logins for this account; please try again in %(seconds)s seconds.")
            % {"seconds": seconds},
            retry_at=retry_at,
            code="login_slowed",
        )


def reset_check_limit_check(*, username: str, ip: str | None) -> None:
    """忘记密码: refuse the real-name check after RESET_CHECK_HOURLY_LIMIT mismatches for this login
    name from this address, or RESET_CHECK_IP_HOURLY_LIMIT from this address, in the last hour."""
    now = timezone.now()
    failures = PasswordResetCheckFailure.objects.filter(ip=ip)
    retry_at = _window_reopens(
        failures.filter(username=username), limit=settings.RESET_CHECK_HOURLY_LIMIT, now=now
    )
    if ip and retry_at is None:
        retry_at = _window_reopens(failures, limit=settings.RESET_CHECK_IP_HOURLY_LIMIT, now=now)
    if retry_at is not None:
        raise Throttled(
            _("Too many login names and real names that did not match; please try again after %(time)s.")
            % {"time": _local_minute(retry_at)},
            retry_at=retry_at,
            code="reset_check_throttled",
        )


def reset_check_failure_record(*, username: str, ip: str | None) -> None:
    PasswordResetCheckFailure.objects.create(username=username[:150], ip=ip)
