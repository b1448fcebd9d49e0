"""Request-level guards and security headers for every response (issue 12, items 7 and 8)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds FAZHI_MAX_REQUEST_BYTES with 413, before it is read.

    A body sent without Content-Length (chunked) is bounded by Django's DATA_UPLOAD_MAX_MEMORY_SIZE and
    by gunicorn, which does not accept chunked bodies larger than the declared cap either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.FAZHI_MAX_REQUEST_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return _plain(400, "请求头Content-Length无效")
        if length > limit:
            return _plain(413, f"请求过大：{length // 1024} KB，超过上限{limit // (1024 * 1024)} MB，未处理。"
                               "请压缩或拆分后再提交")
        return self.get_response(request)


def _plain(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"  # the unread body must not be parsed as the next request
    return response


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every page a logged-in user gets.

    Pages of a logged-in user can show personal data: no browser or proxy cache may keep them.
    Static files are answered earlier by whitenoise and keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class ParamErrorMiddleware:
    """A malformed query parameter on a web page is the Chinese 400 page naming the parameter, not a 500.

    The API renders the same `ParamError` itself (fazhi.api.errors), so this only sees pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from fazhi.core.params import ParamError

        if isinstance(exception, ParamError):
            return render(request, "400.html", {"error": exception}, status=400)
        return None


class PersonalDataInUrlMiddleware:
    """Refuse any request whose query string carries a 身份证号 (coded 400 `personal_data_in_url`), before a
    view can use it: a URL stays in access logs, proxies and browser history. Pages get the Chinese 400 page,
    the API its JSON error; neither echoes the value. Searching by 身份证号 is a POST (see the record list)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import JsonResponse
        from django.shortcuts import render

        from fazhi.core.params import ParamError, params_refuse_personal_data

        try:
            params_refuse_personal_data(request.GET)
        except ParamError as exc:
            if request.path.startswith("/api/"):
                return JsonResponse(exc.as_dict(), status=400, json_dumps_params={"ensure_ascii": False})
            return render(request, "400.html", {"error": exc}, status=400)
        return self.get_response(request)
