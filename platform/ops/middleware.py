"""Database outages answer a clear 503 page instead of a 500 (SPEC: nothing half-written, say so)."""
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class DatabaseUnavailableMiddleware:
    """Turns `OperationalError` / `InterfaceError` raised by a view into a 503 "try again later".

    The services write inside `transaction.atomic`, so the failed request changed nothing: the page
    says that the change was not saved (for a write) and that the draft saved before is still there.
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
            html = render_to_string("ops/database_unavailable.html", {"message": message, "wrote": wrote})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
