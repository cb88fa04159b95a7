"""Database outages answer a clear 503 page instead of a 500 (SPEC: nothing half-written, say so)."""
import logging
import re

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _, gettext_lazy

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: Fields never written back into the page: passwords, one-time codes, tokens (the CSRF token is a
#: new one, as on every form). Matched on the field's own name (after a wizard's "step-" prefix).
SECRET_NAME = re.compile(r"pass|pwd|secret|token|csrf|otp|captcha|sms_code|verif", re.IGNORECASE)
#: Management fields re-posted but not worth showing (the wizard's step, the button that was pressed).
HIDDEN_NAME = re.compile(r"(^|-)(current_step|wizard_action|wizard_goto_step|next)$")
SECRET_LABELS = {"password": gettext_lazy("Password"), "password1": gettext_lazy("Password"),
                 "password2": gettext_lazy("Confirm password"), "sms_code": gettext_lazy("SMS code"),
                 "code": gettext_lazy("SMS code")}


def _own_name(name: str) -> str:
    return name.rsplit("-", 1)[-1]


def form_input_kept(request) -> dict | None:
    """What a form POST carried, for the 503 page to post again: the fields to re-post as they were,
    the secret ones to type again (never echoed), the files to choose again. None for other requests."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    try:
        fields, files = list(request.POST.lists()), list(request.FILES.keys())
    except (SuspiciousOperation, UnreadablePostError, MultiPartParserError):
        return None  # a body Django cannot read: the page offers "go back" only
    kept, retype = [], []
    for name, values in fields:
        if SECRET_NAME.search(_own_name(name)):
            if not re.search("csrf", name, re.IGNORECASE):
                own = _own_name(name)
                retype.append({"name": name, "label": SECRET_LABELS.get(own, own),
                               "password": bool(re.search("pass|pwd", own, re.IGNORECASE))})
            continue
        kept += [{"name": name, "value": value, "shown": bool(value) and not HIDDEN_NAME.search(name)}
                 for value in values]
    return {"action": request.get_full_path(), "kept": kept, "retype": retype, "files": files,
            "multipart": request.content_type == "multipart/form-data"}


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class DatabaseUnavailableMiddleware:
    """Turns `OperationalError` / `InterfaceError` raised by a view into a 503 "try again later".

    The services write inside `transaction.atomic`, so the failed request changed nothing: the page
    says that the change was not saved (for a write) and that the draft saved before is still there.
    After a form POST it keeps what the user typed: a form posting the same fields to the same
    address (重新提交), with the secret fields (passwords, codes) to type again and never echoed.
    The page is rendered without the request (no context processors: no session, no user, no
    database), and a 5xx response keeps SessionMiddleware from saving the session. A failure inside
    another middleware (e.g. the session saved after a successful view) is not a view exception and
    stays Django's 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable while serving %s %s: %s: %s", request.method, request.path,
                     type(exception).__name__, exception, extra={"event": "db.unavailable"})
        session = getattr(request, "session", None)
        if session is not None and not hasattr(session, "_session_cache"):
            # The session was never loaded (the database failed first). SessionMiddleware would load
            # it on the way out (SESSION_SAVE_EVERY_REQUEST reads its expiry) and fail again with a
            # 500; an empty cache lets it pass, and it saves nothing on a 5xx response.
            session._session_cache = {}
        wrote = request.method in WRITE_METHODS
        message = (_("The database is temporarily unavailable. Your last change was not saved; please try again later.")
                   if wrote else _("The database is temporarily unavailable. Please try again later."))
        if _wants_json(request):
            response = JsonResponse({"detail": message, "code": "database_unavailable"}, status=503)
        else:
            context = {"message": message, "wrote": wrote, "form": form_input_kept(request)}
            if context["form"] is not None:
                # A new token from the CSRF cookie (no database), so 重新提交 passes the CSRF check.
                context["csrf_token"] = get_token(request)
            html = render_to_string("ops/database_unavailable.html", context)
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
