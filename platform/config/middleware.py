"""Project middleware."""


class DefaultLanguageMiddleware:
    """zh-hans is the platform's language unless the user chose another one (language cookie).

    Officials and enterprise clerks often use browsers set up in English; the browser's
    Accept-Language header is therefore not consulted. Place before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
