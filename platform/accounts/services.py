"""Account services: SMS codes, registration, password reset, mobile change, administrators."""
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .enums import ADMIN_GROUP_NAME, SmsPurpose, UserKind
from .models import AdministratorProfile, SmsCode, User
from .sms import get_backend
from .throttles import reset_check_failure_record, reset_check_limit_check, sms_throttle_check


def _code_digest(mobile: str, code: str) -> str:
    # A keyed hash is enough for a 5-minute, 5-attempt code, and cheap (no password hasher).
    return salted_hmac("accounts.sms_code", f"{mobile}:{code}").hexdigest()


def sms_send(*, mobile: str, text: str, purpose: str = SmsPurpose.NOTICE):
    """Send one SMS through the configured gateway (recorded in the outbox)."""
    return get_backend().send(mobile=mobile, text=text, purpose=purpose)


SMS_TEXTS = {
    SmsPurpose.LOGIN: "【中小企业运行监测】您的登录验证码为 {code}，5分钟内有效，请勿泄露。",
    SmsPurpose.REGISTER: "【中小企业运行监测】您的注册验证码为 {code}，5分钟内有效。",
    SmsPurpose.RESET_PASSWORD: "【中小企业运行监测】您正在找回密码，验证码为 {code}，5分钟内有效。",
    SmsPurpose.CHANGE_MOBILE: "【中小企业运行监测】您正在更换绑定手机，验证码为 {code}，5分钟内有效。",
}


@transaction.atomic
def sms_code_issue(*, mobile: str, purpose: str, ip: str | None = None) -> SmsCode:
    """Create a 6-digit code for (mobile, purpose) and send it; earlier unused codes stop working.

    `ip` is the client address (`accounts.client_address.client_address`); a limit raises
    `throttles.Throttled` (code "sms_throttled") naming when to retry.
    """
    sms_throttle_check(mobile=mobile, purpose=purpose, ip=ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    SmsCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(used_at=now)
    sms_code = SmsCode.objects.create(
        mobile=mobile, purpose=purpose, code_hash=_code_digest(mobile, code), ip=ip, expires_at=now + settings.SMS_CODE_TTL
    )
    transaction.on_commit(lambda: sms_send(mobile=mobile, text=SMS_TEXTS[purpose].format(code=code), purpose=purpose))
    return sms_code


def sms_code_issue_to_new_mobile(*, mobile: str, purpose: str, ip: str | None) -> SmsCode:
    """Send a registration or change-of-mobile code to a mobile that must not be bound yet.

    The throttles come first and a request for a bound number is counted like one for a free number
    (a spent code row, nothing sent), so whether a number is bound can be learnt only as slowly as
    codes can be requested; then a bound number is refused on the mobile field.
    """
    if purpose not in (SmsPurpose.REGISTER, SmsPurpose.CHANGE_MOBILE):
        raise ValueError(f"not a code for a new mobile: {purpose}")
    with transaction.atomic():
        sms_throttle_check(mobile=mobile, purpose=purpose, ip=ip)
        if not User.objects.filter(mobile=mobile).exists():
            return sms_code_issue(mobile=mobile, purpose=purpose, ip=ip)
        now = timezone.now()
        SmsCode.objects.create(mobile=mobile, purpose=purpose, code_hash="", ip=ip, expires_at=now, used_at=now)
    raise ValidationError({"mobile": _("This mobile number is already bound to another account.")}, code="mobile_bound")


def sms_code_pending(*, mobile: str, purpose: str) -> bool:
    """Whether an unused, unexpired code for (mobile, purpose) is waiting to be entered."""
    return SmsCode.objects.filter(
        mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


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
    # The code is consumed with the account in one transaction: when the account cannot be written
    # (the database goes away), the code stays valid for 重新提交. A wrong code's attempt is kept.
    error = None
    with transaction.atomic():
        try:
            sms_code_verify(mobile=mobile, purpose=SmsPurpose.REGISTER, code=sms_code)
        except ValidationError as exc:
            error = exc
        else:
            user.set_password(password)
            user.save()
    if error is not None:
        raise ValidationError({"sms_code": error.messages}) from error
    return user


def _reset_user_check(*, username: str, real_name: str, ip: str | None) -> User:
    """忘记密码: the account named by login name + real name, within the attempt limit.

    A mismatch is recorded and counted by `throttles.reset_check_limit_check` per login name +
    client address and per address; over the limit it raises `throttles.Throttled`.
    """
    reset_check_limit_check(username=username, ip=ip)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.mobile or user.real_name.strip() != real_name.strip():
        reset_check_failure_record(username=username, ip=ip)
        raise ValidationError({"real_name": _("The login name and real name do not match an account.")})
    return user


def password_reset_with_sms(
    *, username: str, real_name: str, password: str, password2: str, sms_code: str, ip: str | None = None
) -> User:
    """忘记密码: the user proves who they are with login name, real name and an SMS code."""
    user = _reset_user_check(username=username, real_name=real_name, ip=ip)
    _validate_password(password, password2, user)
    try:
        sms_code_verify(mobile=user.mobile, purpose=SmsPurpose.RESET_PASSWORD, code=sms_code)
    except ValidationError as exc:
        raise ValidationError({"sms_code": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def password_reset_code_send(*, username: str, real_name: str, ip: str | None) -> None:
    """忘记密码: send the reset code to the bound mobile of the account named by login name + real name."""
    user = _reset_user_check(username=username, real_name=real_name, ip=ip)
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


def _flags_check(*, granter: AdministratorProfile, before: dict, after: dict) -> None:
    """An administrator may grant (switch on) only the flags it holds itself; revoking is always allowed.

    越级审核权 is the exception: it belongs to province administrators only, and only the national
    administrator creates provinces (regions nest strictly), so it is granted by the national
    administrator without holding it; the province-only rule is checked with the region.
    """
    from .selectors import administrator_grantable_flags

    grantable = administrator_grantable_flags(granter)
    refused = [f for f, on in after.items() if on and not before.get(f) and f not in grantable]
    if refused:
        raise ValidationError({f: _("You cannot grant a permission you do not hold yourself.") for f in refused})


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
    if actor is not None and parent is not None:
        _flags_check(granter=parent, before={}, after=flags)
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
    profile = parent.add_child(**fields)
    log(instance=profile, action="accounts.administrator.create", user=actor,
        data={"region": region.code, "flags": sorted(f for f, on in flags.items() if on)})
    return profile


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


# -- 下级管理员维护: the back office's subordinate administrators ------------------------------------

ADMIN_CREATED_SMS = (
    "【中小企业运行监测】已为您开通地方管理员账号，登录名 {username}。初始密码请向为您开通账号的管理员索取，登录后请修改密码。"
)


def _initial_password() -> str:
    # 14 characters from four classes: passes every AUTH_PASSWORD_VALIDATORS rule and has ~80 bits.
    alphabets = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=")
    chars = [secrets.choice(a) for a in alphabets] + [secrets.choice("".join(alphabets[:3])) for _i in range(10)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _own_subordinate(actor: User, profile: AdministratorProfile) -> AdministratorProfile:
    """The actor's own profile, when `profile` is a subordinate the actor created; else PermissionDenied."""
    from .selectors import admin_scope

    scope = admin_scope(actor)
    if scope.is_empty or not scope.administrators(include_self=False).filter(pk=profile.pk).exists():
        raise PermissionDenied(_("This administrator is not one of your subordinates."))
    if profile.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the administrator who created this account may change or delete it."))
    return scope.profile


@transaction.atomic
def subordinate_create(
    *, actor: User, region, username: str, mobile: str, email: str = "", real_name: str = "",
    organisation: str = "", phone: str = "", **flags: bool,
) -> tuple[AdministratorProfile, str]:
    """新增下级管理员: create an administrator directly under the actor, with a generated password.

    Returns the profile and the initial password, which the caller shows once to the creator and
    never stores. The new administrator gets an SMS naming the login but not the password: the
    outbox keeps every SMS text, and a password there would be readable by anyone who can read it.
    """
    from .selectors import admin_scope

    parent = admin_scope(actor).profile
    if parent is None:
        raise PermissionDenied(_("Only administrators may create administrators."))
    password = _initial_password()
    profile = administrator_create(
        actor=actor, parent=parent, username=username, password=password, mobile=mobile, region=region,
        email=email, real_name=real_name, organisation=organisation, phone=phone, **flags,
    )
    transaction.on_commit(lambda: sms_send(mobile=mobile, text=ADMIN_CREATED_SMS.format(username=username)))
    return profile, password


@transaction.atomic
def administrator_update(
    *, actor: User, profile: AdministratorProfile, mobile: str, region, email: str = "", real_name: str = "",
    organisation: str = "", phone: str = "", **flags: bool,
) -> AdministratorProfile:
    """编辑下级管理员: only its creator; the region moves only while nothing hangs on the old one."""
    from .selectors import administrator_ties

    unknown = set(flags) - set(ADMIN_FLAGS)
    if unknown:
        raise TypeError(f"unknown flags: {sorted(unknown)}")
    parent = _own_subordinate(actor, profile)
    profile = AdministratorProfile.objects.select_for_update(of=("self",)).select_related("user", "region").get(pk=profile.pk)
    user = profile.user
    if region is None:
        raise ValidationError({"region": _("Choose a manageable region.")})
    if parent.region is not None and not (parent.region.contains(region) and parent.region != region):
        raise ValidationError({"region": _("The region must lie inside your own manageable region.")})
    if region != profile.region:
        ties = administrator_ties(profile)
        if ties:
            raise ValidationError({"region": _("The region cannot change while this administrator %(ties)s.") % {
                "ties": _("; ").join(ties)}})
    flags = {f: flags.get(f, False) for f in ADMIN_FLAGS}
    if flags["can_skip_level"] and region.level != 1:
        raise ValidationError({"can_skip_level": _("Only province administrators may have skip-level receive.")})
    _flags_check(granter=parent, before={f: getattr(profile, f) for f in ADMIN_FLAGS}, after=flags)
    if User.objects.filter(mobile=mobile).exclude(pk=user.pk).exists():
        raise ValidationError({"mobile": _("This mobile number is already bound to another account.")})
    user.mobile, user.email, user.real_name = mobile, email, real_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["mobile", "email", "real_name"])
    changed = [f for f in ("region", "organisation", "phone", *ADMIN_FLAGS)
               if getattr(profile, f) != {"region": region, "organisation": organisation, "phone": phone, **flags}[f]]
    profile.region, profile.organisation, profile.phone = region, organisation, phone
    for flag, on in flags.items():
        setattr(profile, flag, on)
    profile.save(update_fields=["region", "organisation", "phone", *ADMIN_FLAGS])
    log(instance=profile, action="accounts.administrator.edit", user=actor, data={"changed": changed})
    return profile


@transaction.atomic
def administrator_delete(*, actor: User, profile: AdministratorProfile) -> None:
    """删除下级管理员: only its creator, and only while it has no subordinates, is nobody's direct
    reviewer and holds no report waiting for review.

    The login is kept but deactivated (mobile freed, password unusable), so the audit trail still
    names who acted; its login name stays reserved.
    """
    from .selectors import administrator_ties

    _own_subordinate(actor, profile)
    profile = AdministratorProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=profile.pk)
    ties = administrator_ties(profile)
    if ties:
        raise ValidationError(_("%(name)s cannot be deleted: this administrator %(ties)s.") % {
            "name": profile.user.username, "ties": _("; ").join(ties)})
    user = profile.user
    log(instance=profile, action="accounts.administrator.delete", user=actor,
        data={"username": user.username, "region": profile.region.code if profile.region else None})
    profile.delete()
    user.is_active, user.is_staff, user.mobile = False, False, None
    user.set_unusable_password()
    user.save(update_fields=["is_active", "is_staff", "mobile", "password"])
    user.groups.clear()


@transaction.atomic
def administrator_password_reset(*, actor: User, profile: AdministratorProfile) -> str:
    """重置密码: its creator gets a new generated password to hand over (shown once, never stored)."""
    _own_subordinate(actor, profile)
    user = User.objects.select_for_update().get(pk=profile.user_id)
    password = _initial_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    log(instance=profile, action="accounts.administrator.password_reset", user=actor)
    return password
