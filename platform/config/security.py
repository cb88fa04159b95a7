"""Security headers Django does not send itself (Content-Security-Policy comes from django-csp)."""
from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header, unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


def _wagtail_own_view(path: str) -> bool:
    if not path.startswith("/admin/") or path == "/admin/":
        return False
    return not path.startswith(tuple(settings.CSP_STRICT_ADMIN_PREFIXES))


class WagtailEditorPolicyMiddleware:
    """Wagtail's own admin views get script-src and style-src 'self' 'unsafe-inline' (no nonce).

    Wagtail 8 still prints inline scripts and styles in its editing views: the date widgets'
    <script>initDateChooser(...)</script>, panel templates that jQuery runs as it inserts them, Draftail's
    styles (Wagtail issue #1288); widgets render without the request, so they cannot carry the nonce.
    Only those views are relaxed: the dashboard and the platform's own back-office pages under /admin/
    (settings.CSP_STRICT_ADMIN_PREFIXES: review, analytics, designer, library, imports, exports ...) keep
    the strict policy. Place after csp.middleware.CSPMiddleware (it reads response._csp_replace).
    """

    RELAXED = {"script-src": ["'self'", "'unsafe-inline'"], "style-src": ["'self'", "'unsafe-inline'"]}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _wagtail_own_view(request.path_info) and not hasattr(response, "_csp_replace"):
            response._csp_replace = dict(self.RELAXED)
        return response
