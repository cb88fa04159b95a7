"""One error shape (`schemas.ErrorOut`) for every failure, in the caller's language.

401 no, bad or revoked token · 403 not allowed (the operation's own check) · 404 unknown or out of
scope (never telling which) · 409 the report's state forbids it (`conflict`), or it was saved since the
client read it (`stale`, with the current `revision`) · 400 unreadable JSON or a return flagging an unknown cell · 413 body over the cap ·
422 invalid input or refused by the form's rules · 429 rate limit.
"""
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from filing.services import FilingRefused, FilingStale
from reporting.services import ReportRefused, ReportStale
from workflow.transitions import TransitionRefused

from .presenters import issues_list
from .services import DraftInvalid, IdempotencyKeyReused

class PayloadTooLarge(Exception):
    """The request body is larger than the API accepts."""


class FlaggedFieldsUnknown(Exception):
    """A return's flagged cells name a path the report lacks (workflow.services.flagged_fields_clean)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BodyUnreadable(Exception):
    """The body is not JSON the API can read (syntax, NaN, NUL bytes, invalid characters)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _error(api, request, status: int, code: str, message: str, *, errors=(), issues=(), headers=None, **extra):
    response = api.create_response(request, {"code": code, "message": str(message), "errors": list(errors),
                                             "issues": list(issues), **extra}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _pydantic_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This value is required.")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("string_type", "string_unicode"):
        return _("Enter a text.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Send a JSON object.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Enter true or false.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "string_too_long":
        return _("Enter at most %(max)s characters.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Enter at least %(min)s characters.") % {"min": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("The value has the wrong format.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a number not below %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Enter a number not above %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in ("literal_error", "enum"):
        return _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", ""))
    if kind == "extra_forbidden":
        return _("This value is not expected.")
    return str(error.get("msg", _("This value is not valid.")))


#: ninja's own wrapper names in `loc` (the body model's argument name) are left out.
_INTERNAL_LOC = {"payload", "filters", "idempotency"}


def _loc(error: dict) -> list[str]:
    loc = [str(part) for part in error.get("loc", ())]
    return [part for i, part in enumerate(loc) if not (i == 1 and part in _INTERNAL_LOC)]


def register(api) -> None:
    """Install the handlers on `api` (replacing ninja's defaults)."""

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = [{"loc": _loc(e), "message": _pydantic_message(e), "type": str(e.get("type", ""))} for e in exc.errors]
        summary = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0] if e['loc'] else ''}: {e['message']}" for e in errors)
        return _error(api, request, 422, "invalid", _("The request is not valid: %(problems)s") % {"problems": summary},
                      errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(api, request, 401, "unauthorized",
                      _("Send a valid API token: Authorization: Bearer <token>. The token may be wrong or revoked."),
                      headers={"WWW-Authenticate": 'Bearer realm="api"'})

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        cause = exc.__cause__
        if isinstance(cause, BodyUnreadable):
            return _error(api, request, 400, "bad_request", cause.message)
        if exc.status_code == 400:
            return _error(api, request, 400, "bad_request", _("The request body is not valid JSON."))
        return _error(api, request, exc.status_code, "error", str(exc))

    @api.exception_handler(FlaggedFieldsUnknown)
    def flagged_unknown(request, exc):
        return _error(api, request, 400, "bad_request", exc.message,
                      errors=[{"loc": ["body", "flagged_fields"], "message": exc.message, "type": "value_error"}])

    @api.exception_handler(PayloadTooLarge)
    def too_large(request, exc):
        return _error(api, request, 413, "too_large", str(exc))

    @api.exception_handler(Http404)
    def not_found_http(request, exc):
        return _error(api, request, 404, "not_found", _("Not found, or not in your scope."))

    @api.exception_handler(ObjectDoesNotExist)
    def not_found(request, exc):
        return _error(api, request, 404, "not_found", _("Not found, or not in your scope."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _error(api, request, 403, "forbidden", str(exc) or _("You are not allowed to do this."))

    @api.exception_handler(TransitionRefused)
    def conflict(request, exc):
        return _error(api, request, 409, "conflict", exc.message)

    @api.exception_handler(ReportStale)
    def stale(request, exc):
        return _error(api, request, 409, "stale", " ".join(str(m) for m in exc.messages), revision=exc.revision)

    @api.exception_handler(ReportRefused)
    def refused(request, exc):
        issues = [{"code": "refused", "severity": "error", "message": str(m), "fields": [], "labels": []} for m in exc.messages]
        return _error(api, request, 422, "refused", " ".join(str(m) for m in exc.messages), issues=issues)

    @api.exception_handler(FilingStale)
    def filing_stale(request, exc):
        return _error(api, request, 409, "stale", " ".join(str(m) for m in exc.messages), revision=exc.revision)

    @api.exception_handler(FilingRefused)
    def filing_refused(request, exc):
        issues = issues_list(exc.unexplained) or [
            {"code": "refused", "severity": "error", "message": m, "fields": [], "labels": []} for m in exc.messages]
        return _error(api, request, 422, "refused", " ".join(exc.messages), issues=issues)

    @api.exception_handler(DraftInvalid)
    def draft_invalid(request, exc):
        errors = exc.result.errors
        return _error(api, request, 422, "refused",
                      _("The answers break %(count)d blocking rule(s); nothing was saved.") % {"count": len(errors)},
                      issues=issues_list(exc.result.issues))

    @api.exception_handler(IdempotencyKeyReused)
    def key_reused(request, exc):
        return _error(api, request, 422, "invalid", str(exc),
                      errors=[{"loc": ["header", "Idempotency-Key"], "message": str(exc), "type": "value_error"}])

    @api.exception_handler(DjangoValidationError)
    def django_invalid(request, exc):
        errors = [{"loc": ["body", field], "message": str(m), "type": "value_error"}
                  for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items() for m in messages]
        return _error(api, request, 422, "invalid", " ".join(e["message"] for e in errors), errors=errors)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return _error(api, request, 429, "throttled", _("Too many requests with this token; wait a moment and retry."))
