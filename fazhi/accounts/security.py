"""Small policies of signing in that settings point at (client address, session clock keys)."""

from __future__ import annotations

from django.conf import settings

# Session keys: when the user signed in, and when the session was last used (Unix seconds).
SESSION_AUTH_AT = "fazhi_auth_at"
SESSION_SEEN_AT = "fazhi_seen_at"


def client_ip(request) -> str | None:
    """The address lock-outs count by: the peer, or behind the TLS proxy (FAZHI_TLS) the address that
    proxy appended last to X-Forwarded-For (earlier entries come from the client and can be forged)."""
    if settings.TLS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
