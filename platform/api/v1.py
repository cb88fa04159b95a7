"""The versioned data-integration API (数据对接), v1: see api/README.md."""
from ninja import NinjaAPI

from . import errors
from .auth import StrictJsonParser, TokenAuth, TokenRateThrottle, rate_limit_headers
from .endpoints import catalog, questionnaires, reports, review, tasks

DESCRIPTION = """
Data-integration API of the SME production and operation monitoring platform (数据对接).

* Authenticate with a token created under *My account → API tokens* (enterprises) or in the back
  office under *数据对接* (administrators): `Authorization: Bearer <token>`. A token acts exactly as
  its user and sees what the user sees.
* Errors share one shape: `{code, message, errors, issues}`; messages follow `Accept-Language`
  (`zh-hans` by default, `en`).
* Submit with an `Idempotency-Key` header: a repeat returns the first result.
* Request bodies are limited to 1 MB (413); each token has a rate limit (429 with `Retry-After`);
  responses carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds).
"""



class PlatformApi(NinjaAPI):
    """Every response built by the API (answers and errors alike) carries the token's rate-limit state."""

    def create_response(self, request, data, *args, **kwargs):
        response = super().create_response(request, data, *args, **kwargs)
        for name, value in rate_limit_headers(request).items():
            response[name] = value
        return response


api = PlatformApi(
    title="SME monitoring platform API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    parser=StrictJsonParser(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
errors.register(api)
api.add_router("", catalog.router)
api.add_router("", reports.router)
api.add_router("", tasks.router)
api.add_router("", review.router)
api.add_router("", questionnaires.router)


