"""Bearer-token authentication, the body-size cap and the per-token rate limit."""
import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from .errors import BodyUnreadable, PayloadTooLarge
from .selectors import token_authenticate
from .services import token_touch

#: Defaults; settings API_MAX_BODY_BYTES and API_RATE_LIMIT override them.
MAX_BODY_BYTES = 1024 * 1024
RATE_LIMIT = "120/min"


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", MAX_BODY_BYTES))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the request acts as the token's user (request.auth is the token).

    The body-size cap is checked first, before anything reads the body.
    """

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_body_bytes():
            raise PayloadTooLarge(_("The request body is larger than %(size)d KB.") % {"size": max_body_bytes() // 1024})
        return super().__call__(request)

    def authenticate(self, request, token):
        found = token_authenticate(secret=token)
        if found is None:
            return None
        token_touch(found)
        request.user = found.user
        return found


def _reject_constant(name):
    raise BodyUnreadable(_("The request body contains %(value)s, which is not a JSON number.") % {"value": name})


class StrictJsonParser(Parser):
    """JSON only: NaN / Infinity are refused (Python's json accepts them); strings are checked by the schemas."""

    def parse_body(self, request):
        try:
            return json.loads(request.body, parse_constant=_reject_constant)
        except BodyUnreadable:
            raise
        except (ValueError, RecursionError) as exc:
            raise BodyUnreadable(_("The request body is not valid JSON.")) from exc


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (API_RATE_LIMIT, e.g. "120/min"), read on every request so it can be tuned."""

    scope = "api_token"
    cache_format = "api_throttle_%(ident)s"

    def __init__(self):
        super().__init__(rate=RATE_LIMIT)

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(getattr(settings, "API_RATE_LIMIT", RATE_LIMIT))
        allowed = super().allow_request(request)
        if self.key is not None:
            # What the response tells the client (`rate_limit_headers`): the window after this request.
            reset = self.duration - (self.now - self.history[-1]) if self.history else self.duration
            request.api_rate_limit = {"limit": self.num_requests, "reset": max(1, math.ceil(reset)),
                                      "remaining": max(0, self.num_requests - len(self.history))}
        return allowed

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"ident": token.pk}


def rate_limit_headers(request) -> dict:
    """`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (IETF draft
    "RateLimit header fields for HTTP"; Reset in seconds until the oldest counted request leaves the
    window) of a request the token throttle counted; {} for the others (no token, the docs)."""
    state = getattr(request, "api_rate_limit", None)
    if state is None:
        return {}
    return {"RateLimit-Limit": str(state["limit"]), "RateLimit-Remaining": str(state["remaining"]),
            "RateLimit-Reset": str(state["reset"])}
