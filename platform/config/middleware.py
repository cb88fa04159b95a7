"""Project middleware."""


class DefaultLanguageMiddleware:
    """zh-hans is the platform's language unless the user chose another one (language cookie).

    Officials and enterprise clerks often use browsers set up in English; the browser's
    Accept-Language header is therefore not consulted. Place before LocaleMiddleware.
    The data-integration API (/api/v1/) is the exception: its clients choose their language with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/v1/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives every request an id (``request.request_id``), logs carry it, the response returns it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .logging import request_id_new, request_id_var

        request.request_id = request_id_new(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
