"""Whole pages people wait for (the 待办 workbench, the 驾驶舱, the home page), kept rendered per user, address,
day and data version (core.dataversion), so that between writes a request costs a cache lookup.

A page is rendered with a placeholder for the CSRF token; each response gets the requester's own token in its
place. A page that shows a message (django.contrib.messages) is never kept, nor is anything but a 200.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from fazhi.core.dataversion import data_version

PLACEHOLDER = "fazhiPageCacheCsrfToken" + "0" * 41  # as long as a token, letters and digits only

View = Callable[..., HttpResponseBase]
_FLAG = "fazhi.page_cache"


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor (after Django's own csrf one, which it overrides): the placeholder while a kept page
    renders."""
    return {"csrf_token": PLACEHOLDER} if request.META.get(_FLAG) else {}


def page_cached(view: View) -> View:
    """Decorate a GET page (under perm_required, which still asks its question on every request)."""
    from django.core.cache import caches

    @wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        version = data_version() if request.method == "GET" else None
        if version is None or len(get_messages(request)):
            return view(request, *args, **kwargs)
        key = "fazhi-page:" + hashlib.blake2b(repr((
            version, view.__module__, view.__name__, user.pk, user.is_superuser, user.is_active,
            request.get_full_path(), translation.get_language(), timezone.localdate())).encode(),
            digest_size=16).hexdigest()
        cache = caches["default"]
        html = cache.get(key)
        if html is None:
            request.META[_FLAG] = True  # read by csrf_placeholder below
            response = view(request, *args, **kwargs)
            del request.META[_FLAG]
            if response.status_code != 200 or not isinstance(response, HttpResponse):
                return response
            html = response.content.decode()
            if '<ul class="messages">' in html:  # a message shown once must not be shown again
                return _with_token(response, request)
            cache.set(key, html, 3600)
        response = HttpResponse(html)
        return _with_token(response, request)

    return cached


def _with_token(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    response.content = response.content.replace(PLACEHOLDER.encode(), get_token(request).encode())
    return response
