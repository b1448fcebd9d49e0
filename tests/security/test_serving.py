"""Production serving (issue 12 item 8, issue 13 item 1): gunicorn + whitenoise, secret key, headers.

The server tests start the real `fazhi serve` (gunicorn) on a free loopback port, in a temporary var/
directory, and talk HTTP to it: what a browser or an attacker would see.
"""

from __future__ import annotations

import re
import stat
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from tests.serving import REPO, SECRET, fazhi_command, free_port, server_env

_fazhi, _free_port, _env = fazhi_command, free_port, server_env


def _get(url: str):
    """(status, headers, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — loopback only
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def served_url(served):
    return served.url


def test_serve_runs_gunicorn_and_answers_the_login_page(served_url):
    status, headers, body = _get(served_url + "/login/")
    assert status == 200 and "登录" in body.decode()
    # fazhi, not gunicorn (whose older releases add their version); Django's development server would say
    # WSGIServer/0.2 CPython/…
    assert headers["Server"] == "fazhi"
    assert not re.search(r"\d", headers.get("Server", ""))
    assert headers.get_all("Server") == ["fazhi"]  # one header, not gunicorn's beside the app's
    for path in ("/static/web/fazhi.css", "/no-such-page/", "/api/records/"):  # whitenoise, 404, API 403
        assert _get(served_url + path)[1].get_all("Server") == ["fazhi"], path


def test_pages_carry_csp_without_inline_and_permissions_policy(served_url):
    _, headers, _ = _get(served_url + "/login/")
    csp = headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


def test_static_files_come_from_whitenoise_and_traversal_is_a_404(served_url):
    status, headers, body = _get(served_url + "/static/web/fazhi.css")
    assert status == 200 and b".w-100" in body and headers["Content-Type"].startswith("text/css")
    for probe in ("/static/..%2f..%2ffazhi%2fsettings.py", "/static/..%2f..", "/static/%2e%2e/%2e%2e/etc/passwd",
                  "/static/web/..%2f..%2f..%2fsettings.py"):
        status, _, body = _get(served_url + probe)
        assert status == 404, probe
        assert b"SECRET_KEY" not in body


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(_fazhi("serve", "--port", str(_free_port())), env=_env(tmp_path), cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "fazhi secretkey" in result.stderr


def test_secretkey_writes_the_local_env_file_once_and_settings_read_it(tmp_path):
    first = subprocess.run(_fazhi("secretkey"), env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "secret.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = re.search(r"^FAZHI_SECRET_KEY=(\S+)$", path.read_text(), re.M).group(1)
    assert len(key) >= 50
    subprocess.run(_fazhi("secretkey"), env=_env(tmp_path), cwd=tmp_path, check=True, capture_output=True,
                   timeout=120)
    assert path.read_text().count("FAZHI_SECRET_KEY=") == 1  # the second run keeps the first key
    shown = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
                           env=_env(tmp_path, DJANGO_SETTINGS_MODULE="fazhi.settings"), cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() == key


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = subprocess.run(_fazhi("check", "--deploy", "--fail-level", "WARNING"),
                            env=_env(tmp_path, FAZHI_TLS="1", FAZHI_SECRET_KEY=SECRET), cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_tls_cookies_are_secure_and_hsts_is_sent(tmp_path):
    code = ("from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                            env=_env(tmp_path, FAZHI_TLS="1", DJANGO_SETTINGS_MODULE="fazhi.settings"))
    assert result.stdout.split()[:4] == ["True", "True", "True", "True"], result.stderr


def test_logged_in_pages_are_not_stored(client, personas):
    client.force_login(personas.town_clerk)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in (REPO / "fazhi").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+\s*="):
            for match in re.finditer(pattern, text, re.I):
                offenders.append(f"{path.relative_to(REPO)}: {match.group(0)}")
    assert offenders == []
