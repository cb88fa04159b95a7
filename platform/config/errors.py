"""Error pages (403, 404, 500, CSRF failure) in the user's language, in the portal or back-office layout.

A page shows the status, the message the server gave and a way back. Only messages our own code
raised on purpose are shown: `PermissionDenied(_("…"))` / `Http404(_("…"))` whose raising frame is in
the platform's source (platform/, formdefs/, survey_builder/, cms/), never a message from Django or
Wagtail internals (e.g. get_object_or_404's "No Report matches the given query.") nor a resolver's
list of tried patterns.

The 500 handler follows Django's `server_error` contract: no request context (no context processors,
no session, user or database), only the active language LocaleMiddleware chose.
"""
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404
from django.views.decorators.csrf import requires_csrf_token

#: The directories whose code raises the messages shown to users.
_OWN_ROOTS = tuple(str((Path(settings.BASE_DIR) / name).resolve()) + "/"
                   for name in ("platform", "formdefs", "survey_builder", "cms"))
_NOT_OWN = ("/site-packages/", "/dist-packages/")


def user_message(exception) -> str:
    """The exception's text when our code raised it deliberately with one message, else ""."""
    if exception is None or isinstance(exception, Resolver404) or len(exception.args) != 1:
        return ""
    message = exception.args[0]
    if not isinstance(message, str) or not message.strip():
        return ""
    tb = exception.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = str(Path(tb.tb_frame.f_code.co_filename).resolve())
    if any(part in filename for part in _NOT_OWN) or not filename.startswith(_OWN_ROOTS):
        return ""
    return message


def is_backoffice(request) -> bool:
    return request.path.startswith("/admin/")


def _admin_user(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def layout(request) -> str:
    """The page's layout: the portal's, Wagtail's admin for a back-office user, else the plain one."""
    if not is_backoffice(request):
        return "base.html"
    return "errors/admin_layout.html" if _admin_user(request) else "errors/plain_layout.html"


def _registration(request):
    """A portal user's own registration while it is pending or returned: the page says who reviews it
    (no dead end). None otherwise, and when the database cannot tell."""
    from django.db import DatabaseError

    from enterprises.enums import RegistrationStatus
    from enterprises.selectors import enterprise_registration_of

    user = getattr(request, "user", None)
    if is_backoffice(request) or user is None or not getattr(user, "is_enterprise_user", False):
        return None
    try:
        enterprise = enterprise_registration_of(user)
    except DatabaseError:
        return None
    if enterprise is None or enterprise.status not in (RegistrationStatus.PENDING, RegistrationStatus.RETURNED):
        return None
    return enterprise


def _render(request, template, status, exception):
    user = getattr(request, "user", None)
    context = {"layout": layout(request), "status": status, "backoffice": is_backoffice(request),
               "message": user_message(exception),
               "anonymous": user is None or not user.is_authenticated, "request_path": request.path,
               "registration": _registration(request) if status == 403 else None}
    return render(request, template, context, status=status)


@requires_csrf_token
def permission_denied(request, exception=None, template_name="403.html"):
    return _render(request, template_name, 403, exception)


@requires_csrf_token
def page_not_found(request, exception=None, template_name="404.html"):
    return _render(request, template_name, 404, exception)


def server_error(request, template_name="500.html"):
    """No request context: the page renders even when the database or the session is the failure."""
    html = render_to_string(template_name, {"status": 500, "layout": "errors/plain_layout.html",
                                            "backoffice": request.path.startswith("/admin/")})
    return HttpResponseServerError(html)


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """CSRF_FAILURE_VIEW: the form was not accepted, nothing it carried was saved; reload and retry.

    Rendered without the request context (the failure may come before the session is usable), in the
    portal's plain look; Django's reason is logged by its own middleware, never shown.
    """
    html = render_to_string(template_name, {"status": 403, "layout": "errors/plain_layout.html",
                                            "backoffice": request.path.startswith("/admin/"),
                                            "wrote": request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")})
    return HttpResponse(html, status=403)
