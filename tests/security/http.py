"""A tiny browser for the live-server tests: cookies, the CSRF token of forms, no redirects followed."""

from __future__ import annotations

import base64
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, method: str, path: str, *, data: dict | None = None, headers: dict | None = None,
                body: bytes | None = None):
        """(status, headers, text)."""
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        _, _, text = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

    def login(self, username: str, password: str):
        token = self.csrf("/login/")
        return self.request("POST", "/login/", data={"csrfmiddlewaretoken": token, "username": username,
                                                     "password": password, "next": ""},
                            headers={"Referer": self.base + "/login/"})


def basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}
