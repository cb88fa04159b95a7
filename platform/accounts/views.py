"""Account views: two-step login (password, then SMS code), registration, password reset,
change of mobile, logout. Views parse input, call a service and render."""
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .client_address import client_address
from .enums import SmsPurpose
from .forms import (
    ChangeMobileForm,
    ForgotPasswordForm,
    ForgotSendCodeForm,
    LoginForm,
    RegisterForm,
    SendCodeForm,
    SmsCodeForm,
)
from .models import User
from .throttles import Throttled, login_slowdown_check

PENDING_KEY = "pending_login"
PENDING_TTL = timedelta(minutes=10)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: shown when a login name + client address pair is locked after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    error = _("Too many failed logins. This account is locked for %(minutes)s minutes; try again later.") % {
        "minutes": minutes
    }
    return render(request, "accounts/login.html", {"form": LoginForm(), "lockout_error": error}, status=429)


def login_password(request):
    """登录 step 1: login name and password; on success an SMS code goes to the bound mobile."""
    next_url = _safe_next(request, "")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Before the password is checked, so a slowed account answers nothing about the password.
            login_slowdown_check(username=form.cleaned_data["username"], ip=client_address(request))
        except Throttled as exc:
            context = {"form": form, "next": next_url, "lockout_error": exc.messages[0]}
            return render(request, "accounts/login.html", context, status=429)
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            form.add_error(None, _("The login name or password is wrong."))
        elif not user.mobile:
            form.add_error(None, _("This account has no bound mobile; contact your administrator."))
        else:
            try:
                services.sms_code_issue(mobile=user.mobile, purpose=SmsPurpose.LOGIN, ip=client_address(request))
            except Throttled as exc:
                # Go on to the code step only while a code sent earlier can still be entered;
                # otherwise stay here and say which limit holds and when to retry.
                if not services.sms_code_pending(mobile=user.mobile, purpose=SmsPurpose.LOGIN):
                    form.add_error(None, exc.messages[0])
                    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=429)
                messages.warning(request, exc.messages[0])
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "backend": user.backend,
                "at": timezone.now().isoformat(),
                "next": next_url,
            }
            return redirect("accounts:login-verify")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending:
        return None, pending
    started = timezone.datetime.fromisoformat(pending["at"])
    if timezone.now() - started > PENDING_TTL:
        request.session.pop(PENDING_KEY, None)
        return None, {}
    return User.objects.filter(pk=pending["user_id"], is_active=True).first(), pending


def _mask(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}"


def login_verify(request):
    """登录 step 2: the 6-digit SMS code."""
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, _("Your login has timed out; please enter your password again."))
        return redirect("accounts:login")
    form = SmsCodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.sms_code_issue(mobile=user.mobile, purpose=SmsPurpose.LOGIN, ip=client_address(request))
            messages.success(request, _("A new code has been sent."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("accounts:login-verify")
    if request.method == "POST" and form.is_valid():
        try:
            services.sms_code_verify(mobile=user.mobile, purpose=SmsPurpose.LOGIN, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            default = "/admin/" if user.is_staff else "/"
            target = pending.get("next") or default
            return HttpResponseRedirect(target)
    return render(request, "accounts/login_verify.html", {"form": form, "masked_mobile": _mask(user.mobile)})


def logout_view(request):
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You have logged out."))
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")


def register(request):
    """账号注册."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_register(**form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your account is registered. Please log in."))
            return redirect("accounts:login")
    return render(request, "accounts/register.html", {"form": form})


@require_POST
def send_code(request, purpose: str):
    """Send a code to a new mobile (registration, change of mobile); JSON for the page script."""
    if purpose not in (SmsPurpose.REGISTER, SmsPurpose.CHANGE_MOBILE):
        return JsonResponse({"ok": False, "message": _("Unknown request.")}, status=400)
    if purpose == SmsPurpose.CHANGE_MOBILE and not request.user.is_authenticated:
        return JsonResponse({"ok": False, "message": _("Please log in first.")}, status=403)
    form = SendCodeForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "field": "mobile", "message": form.errors["mobile"][0]}, status=400)
    try:
        services.sms_code_issue_to_new_mobile(mobile=form.cleaned_data["mobile"], purpose=purpose, ip=client_address(request))
    except ValidationError as exc:
        status = 429 if isinstance(exc, Throttled) else 400
        return JsonResponse({"ok": False, "field": "mobile", "message": exc.messages[0]}, status=status)
    return JsonResponse({"ok": True, "message": _("The code has been sent; it is valid for 5 minutes.")})


@require_POST
def forgot_send_code(request):
    form = ForgotSendCodeForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": _("Enter your login name and real name first.")}, status=400)
    try:
        services.password_reset_code_send(**form.cleaned_data, ip=client_address(request))
    except ValidationError as exc:
        status = 429 if isinstance(exc, Throttled) else 400
        return JsonResponse({"ok": False, "field": "real_name", "message": exc.messages[0]}, status=status)
    return JsonResponse({"ok": True, "message": _("The code has been sent to your bound mobile.")})


def forgot_password(request):
    """忘记密码."""
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_with_sms(**form.cleaned_data, ip=client_address(request))
        except Throttled as exc:
            form.add_error("real_name", exc.messages)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your password has been changed. Please log in."))
            return redirect("accounts:login")
    return render(request, "accounts/forgot_password.html", {"form": form})


@login_required
def change_mobile(request):
    """更换绑定手机."""
    form = ChangeMobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_mobile(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your mobile has been changed."))
            return redirect(reverse("accounts:profile"))
    return render(request, "accounts/change_mobile.html", {"form": form})


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"masked_mobile": _mask(request.user.mobile or "00000000000")})
