"""Account services: SMS codes, registration, password reset, mobile change, administrators."""
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .enums import ADMIN_GROUP_NAME, SmsPurpose, UserKind
from .models import AdministratorProfile, SmsCode, User
from .sms import get_backend


def _code_digest(mobile: str, code: str) -> str:
    # A keyed hash is enough for a 5-minute, 5-attempt code, and cheap (no password hasher).
    return salted_hmac("accounts.sms_code", f"{mobile}:{code}").hexdigest()


def sms_send(*, mobile: str, text: str, purpose: str = SmsPurpose.NOTICE):
    """Send one SMS through the configured gateway (recorded in the outbox)."""
    return get_backend().send(mobile=mobile, text=text, purpose=purpose)


def _sms_throttle_check(*, mobile: str, purpose: str, ip: str | None) -> None:
    # Counted in the database rather than a per-process cache so the limits hold across web workers.
    now = timezone.now()
    recent = SmsCode.objects.filter(
        mobile=mobile, purpose=purpose, created_at__gte=now - settings.SMS_MOBILE_INTERVAL
    )
    if recent.exists():
        wait = int(settings.SMS_MOBILE_INTERVAL.total_seconds())
        raise ValidationError(
            _("A code was sent to this mobile less than %(seconds)s seconds ago; please wait.") % {"seconds": wait},
            code="sms_throttled",
        )
    hour_ago = now - timedelta(hours=1)
    if SmsCode.objects.filter(mobile=mobile, created_at__gte=hour_ago).count() >= settings.SMS_MOBILE_HOURLY_LIMIT:
        raise ValidationError(
            _("Too many codes were sent to this mobile in the last hour; please try again later."),
            code="sms_throttled",
        )
    if ip and SmsCode.objects.filter(ip=ip, created_at__gte=hour_ago).count() >= settings.SMS_IP_HOURLY_LIMIT:
        raise ValidationError(
            _("Too many codes were requested from your network in the last hour; please try again later."),
            code="sms_throttled",
        )


SMS_TEXTS = {
    SmsPurpose.LOGIN: "【中小企业运行监测】您的登录验证码为 {code}，5分钟内有效，请勿泄露。",
    SmsPurpose.REGISTER: "【中小企业运行监测】您的注册验证码为 {code}，5分钟内有效。",
    SmsPurpose.RESET_PASSWORD: "【中小企业运行监测】您正在找回密码，验证码为 {code}，5分钟内有效。",
    SmsPurpose.CHANGE_MOBILE: "【中小企业运行监测】您正在更换绑定手机，验证码为 {code}，5分钟内有效。",
}


@transaction.atomic
def sms_code_issue(*, mobile: str, purpose: str, ip: str | None = None) -> SmsCode:
    """Create a 6-digit code for (mobile, purpose) and send it; earlier unused codes stop working."""
    _sms_throttle_check(mobile=mobile, purpose=purpose, ip=ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    SmsCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(used_at=now)
    sms_code = SmsCode.objects.create(
        mobile=mobile, purpose=purpose, code_hash=_code_digest(mobile, code), ip=ip, expires_at=now + settings.SMS_CODE_TTL
    )
    transaction.on_commit(lambda: sms_send(mobile=mobile, text=SMS_TEXTS[purpose].format(code=code), purpose=purpose))
    return sms_code


def sms_code_verify(*, mobile: str, purpose: str, code: str) -> None:
    """Consume the latest code for (mobile, purpose) if `code` matches; else raise ValidationError.

    A wrong attempt is counted (and the code burnt after SMS_CODE_MAX_ATTEMPTS) in a committed
    transaction, so the error is raised only after the block.
    """
    error = None
    with transaction.atomic():
        sms_code = (
            SmsCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if sms_code is None:
            error = ValidationError(_("No valid SMS code: please request a new one."), code="sms_missing")
        elif sms_code.expires_at <= timezone.now():
            error = ValidationError(_("The SMS code has expired: please request a new one."), code="sms_expired")
        elif constant_time_compare(_code_digest(mobile, code or ""), sms_code.code_hash):
            sms_code.used_at = timezone.now()
            sms_code.save(update_fields=["used_at"])
        else:
            sms_code.attempts += 1
            if sms_code.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
                sms_code.used_at = timezone.now()
                error = ValidationError(_("Too many wrong codes: please request a new one."), code="sms_exhausted")
            else:
                error = ValidationError(_("The SMS code is wrong."), code="sms_wrong")
            sms_code.save(update_fields=["attempts", "used_at"])
    if error is not None:
        raise error


def _validate_password(password: str, password2: str, user: User | None = None) -> None:
    if password != password2:
        raise ValidationError({"password2": _("The two passwords do not match.")})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def account_register(
    *, username: str, password: str, password2: str, email: str, mobile: str, real_name: str, sms_code: str
) -> User:
    """账号注册: create an enterprise user after checking the SMS code sent to its mobile."""
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This login name is already taken.")
    if User.objects.filter(mobile=mobile).exists():
        errors["mobile"] = _("This mobile number is already bound to another account.")
    if errors:
        raise ValidationError(errors)
    user = User(username=username, email=email, mobile=mobile, real_name=real_name, kind=UserKind.ENTERPRISE)
    _validate_password(password, password2, user)
    user.full_clean(exclude=["password"])
    try:
        sms_code_verify(mobile=mobile, purpose=SmsPurpose.REGISTER, code=sms_code)
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.messages}) from exc
    user.set_password(password)
    user.save()
    return user


def password_reset_with_sms(*, username: str, real_name: str, password: str, password2: str, sms_code: str) -> User:
    """忘记密码: the user proves who they are with login name, real name and an SMS code."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.mobile or user.real_name.strip() != real_name.strip():
        raise ValidationError({"real_name": _("The login name and real name do not match an account.")})
    _validate_password(password, password2, user)
    try:
        sms_code_verify(mobile=user.mobile, purpose=SmsPurpose.RESET_PASSWORD, code=sms_code)
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def password_reset_code_send(*, username: str, real_name: str, ip: str | None) -> None:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.mobile or user.real_name.strip() != real_name.strip():
        raise ValidationError({"real_name": _("The login name and real name do not match an account.")})
    sms_code_issue(mobile=user.mobile, purpose=SmsPurpose.RESET_PASSWORD, ip=ip)


def user_change_mobile(*, user: User, password: str, new_mobile: str, sms_code: str) -> User:
    """更换绑定手机: needs the current password and a code sent to the new mobile."""
    if not user.check_password(password):
        raise ValidationError({"password": _("The password is wrong.")})
    if User.objects.filter(mobile=new_mobile).exclude(pk=user.pk).exists():
        raise ValidationError({"new_mobile": _("This mobile number is already bound to another account.")})
    try:
        sms_code_verify(mobile=new_mobile, purpose=SmsPurpose.CHANGE_MOBILE, code=sms_code)
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.messages}) from exc
    user.mobile = new_mobile
    user.save(update_fields=["mobile"])
    return user


ADMIN_FLAGS = ("can_review_registration", "can_review_report", "can_skip_level", "can_one_click", "can_sms_remind")


@transaction.atomic
def administrator_create(
    *,
    actor: User | None,
    parent: AdministratorProfile | None,
    username: str,
    password: str,
    mobile: str,
    region=None,
    email: str = "",
    real_name: str = "",
    organisation: str = "",
    phone: str = "",
    **flags: bool,
) -> AdministratorProfile:
    """Create an administrator under `parent` (None creates the national root; only without an actor).

    The region must lie inside the parent's manageable region; the skip-level flag is for
    province administrators only.
    """
    unknown = set(flags) - set(ADMIN_FLAGS)
    if unknown:
        raise TypeError(f"unknown flags: {sorted(unknown)}")
    if parent is None:
        if actor is not None:
            raise PermissionDenied(_("Only the installation creates the national administrator."))
        if region is not None:
            raise ValidationError({"region": _("The national administrator manages the whole country.")})
    else:
        if actor is not None and getattr(actor, "admin_profile", None) != parent:
            raise PermissionDenied(_("You can only create administrators directly under yourself."))
        if region is None:
            raise ValidationError({"region": _("Choose a manageable region.")})
        if parent.region is not None and not (parent.region.contains(region) and parent.region != region):
            raise ValidationError({"region": _("The region must lie inside your own manageable region.")})
    if flags.get("can_skip_level") and not (region is None or region.level == 1):
        raise ValidationError({"can_skip_level": _("Only province administrators may have skip-level receive.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This login name is already taken.")})
    if User.objects.filter(mobile=mobile).exists():
        raise ValidationError({"mobile": _("This mobile number is already bound to another account.")})
    user = User(
        username=username, email=email, mobile=mobile, real_name=real_name, kind=UserKind.ADMINISTRATOR, is_staff=True
    )
    user.full_clean(exclude=["password"])
    user.set_password(password)
    user.save()
    user.groups.add(roles_ensure()[ADMIN_GROUP_NAME])
    fields = dict(user=user, region=region, organisation=organisation, phone=phone, created_by=actor, **flags)
    if parent is None:
        return AdministratorProfile.add_root(**fields)
    return parent.add_child(**fields)


def roles_ensure() -> dict[str, Group]:
    """Create (idempotently) the administrator and editor groups with their Wagtail permissions."""
    from django.contrib.auth.models import Permission

    from .enums import EDITOR_GROUP_NAME

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for name in (ADMIN_GROUP_NAME, EDITOR_GROUP_NAME):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    return groups
