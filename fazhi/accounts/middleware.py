"""Idle timeout and absolute lifetime of a signed-in session (ASVS 3.3.1, 3.3.2)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

from .security import SESSION_AUTH_AT, SESSION_SEEN_AT

# The last-use time is written at most once a minute, so a page view does not always write the session.
_SEEN_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Sign the user out after FAZHI_SESSION_IDLE_SECONDS without a request, or FAZHI_SESSION_ABSOLUTE_SECONDS
    after signing in, whatever the activity. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started, seen = session.get(SESSION_AUTH_AT), session.get(SESSION_SEEN_AT)
            if started is None or seen is None:
                session[SESSION_AUTH_AT] = started or now
                session[SESSION_SEEN_AT] = now
            elif now - started > settings.FAZHI_SESSION_ABSOLUTE_SECONDS:
                self._end(request, f"登录已超过{settings.FAZHI_SESSION_ABSOLUTE_SECONDS // 3600}小时，请重新登录")
            elif now - seen > settings.FAZHI_SESSION_IDLE_SECONDS:
                self._end(request, f"{settings.FAZHI_SESSION_IDLE_SECONDS // 60}分钟未操作，已自动退出，请重新登录")
            elif now - seen >= _SEEN_RESOLUTION:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, message: str) -> None:
        logout(request)  # flushes the session; the request goes on as anonymous (login_required redirects)
        messages.info(request, message)
