"""Signing in (issue 12, item 3): lock-out, password rules, session lifetime, API tokens, no basic auth."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from knox.models import AuthToken
from knox.settings import CONSTANTS

from fazhi.accounts.security import SESSION_AUTH_AT, SESSION_SEEN_AT
from fazhi.core.models import AuditEvent
from fazhi.core.services import CoreError, user_create
from tests.security.http import Browser, basic

LIMIT = settings.AXES_FAILURE_LIMIT


# ------------------------------------------------------------------------------------------- lock-out

@pytest.fixture
def axes_reset(served):
    """Lock-outs of one probe must not leak into the next: clear axes' attempts on the served database
    (what `fazhi axes_reset` does, without starting Django twice per probe)."""
    _served_query(served, "delete from axes_accessattempt")
    yield
    _served_query(served, "delete from axes_accessattempt")


def _served_query(served, sql: str) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(served.var_dir / "serve.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_account_is_locked_after_n_wrong_passwords_even_for_the_right_one(served, axes_reset):
    browser = Browser(served.url)
    for _ in range(LIMIT - 1):
        status, _, text = browser.login("town_clerk", "wrong-password-123")
        assert status == 200 and "用户名或密码错误" in text
    status, _, text = browser.login("town_clerk", "wrong-password-123")  # the N-th locks
    assert status == 429 and "锁定" in text
    status, _, text = browser.login("town_clerk", "pw-town_clerk")  # the right password, too late
    assert status == 429 and "锁定" in text
    assert _served_query(served, "select count(*) from axes_accessfailurelog where username='town_clerk'")[0][0] \
        >= LIMIT
    rows = _served_query(served, "select e.diff from core_auditevent e where e.action='account.locked_out'")
    assert rows and "town_clerk" in rows[0][0]


def test_one_address_trying_many_accounts_is_locked(served, axes_reset):
    browser = Browser(served.url)
    for name in ("mediator", "leader", "outsider", "review_officer", "legal_aid_staff")[:LIMIT]:
        browser.login(name, "wrong-password-123")
    status, _, text = browser.login("district_admin", "pw-district_admin")
    assert status == 429 and "锁定" in text


def test_lockout_counts_per_account_and_per_address_in_process(client, personas):
    for _ in range(LIMIT):
        client.post(reverse("login"), {"username": "town_clerk", "password": "wrong-password-123"},
                    REMOTE_ADDR="10.0.0.1")
    from_elsewhere = client.post(reverse("login"), {"username": "town_clerk", "password": "pw-town_clerk"},
                                 REMOTE_ADDR="10.0.0.2")
    assert from_elsewhere.status_code == 429  # the account is locked, whatever the address
    other_user = client.post(reverse("login"), {"username": "mediator", "password": "pw-mediator"},
                             REMOTE_ADDR="10.0.0.1")
    assert other_user.status_code == 429  # and so is the address, whatever the account
    fine = client.post(reverse("login"), {"username": "mediator", "password": "pw-mediator"}, REMOTE_ADDR="10.0.0.3")
    assert fine.status_code == 302
    assert AuditEvent.objects.filter(action="account.locked_out", object_id=str(personas.town_clerk.pk)).exists()


def test_a_right_password_before_the_limit_signs_in_and_resets_the_count(client, personas):
    for _ in range(LIMIT - 1):
        client.post(reverse("login"), {"username": "mediator", "password": "nope-nope-nope"})
    response = client.post(reverse("login"), {"username": "mediator", "password": "pw-mediator"})
    assert response.status_code == 302 and response.url == reverse("web:workbench")  # everyone lands on 待办


def test_basic_auth_is_off_by_default(served, axes_reset):
    browser = Browser(served.url)
    status, _, _ = browser.request("GET", "/api/records/", headers=basic("town_clerk", "pw-town_clerk"))
    assert status in (401, 403)  # the right password over basic auth does not sign in
    assert "rest_framework.authentication.BasicAuthentication" not in settings.REST_FRAMEWORK[
        "DEFAULT_AUTHENTICATION_CLASSES"]


def test_basic_auth_can_be_switched_on_by_a_setting(tmp_path):
    code = "from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'])"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR), "FAZHI_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "fazhi.settings", "FAZHI_API_BASIC_AUTH": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "rest_framework.authentication.BasicAuthentication" in out.stdout, out.stderr


# ------------------------------------------------------------------------------------------- passwords

@pytest.mark.parametrize("weak", ["12345678", "password", "password1234", "town_clerk_2024", "123456789012",
                                  "short-pw"])
def test_weak_passwords_are_refused(personas, weak):
    with pytest.raises(ValidationError):
        password_validation.validate_password(weak, personas.town_clerk)


def test_the_demo_password_meets_the_rules(personas):
    password_validation.validate_password("fazhi-demo-2024", personas.town_clerk)


def test_the_password_change_page_refuses_a_weak_password_and_accepts_a_good_one(client, personas):
    client.force_login(personas.town_clerk)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": "pw-town_clerk", "new_password1": "12345678",
                             "new_password2": "12345678"})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    personas.town_clerk.refresh_from_db()
    assert personas.town_clerk.check_password("pw-town_clerk")
    good = client.post(url, {"old_password": "pw-town_clerk", "new_password1": "青山-绿水-2025-法治",
                             "new_password2": "青山-绿水-2025-法治"})
    assert good.status_code == 302
    personas.town_clerk.refresh_from_db()
    assert personas.town_clerk.check_password("青山-绿水-2025-法治")
    assert AuditEvent.objects.filter(action="account.password.change", actor=personas.town_clerk).exists()


def test_user_create_refuses_a_weak_password(personas):
    with pytest.raises(CoreError, match="密码不符合要求"):
        user_create(acting_user=personas.superuser, username="new_clerk", password="password")


# -------------------------------------------------------------------------------------------- sessions

def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_session_is_signed_out(client, personas):
    client.force_login(personas.town_clerk)
    assert client.get(reverse("web:home")).status_code == 200
    _age_session(client, **{SESSION_SEEN_AT: settings.FAZHI_SESSION_IDLE_SECONDS + 5})
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("web:home")).status_code == 302  # the session is gone, not just this request


def test_active_session_stays_until_the_absolute_lifetime(client, personas):
    client.force_login(personas.town_clerk)
    client.get(reverse("web:home"))
    _age_session(client, **{SESSION_AUTH_AT: settings.FAZHI_SESSION_ABSOLUTE_SECONDS - 60, SESSION_SEEN_AT: 10})
    assert client.get(reverse("web:home")).status_code == 200
    _age_session(client, **{SESSION_AUTH_AT: settings.FAZHI_SESSION_ABSOLUTE_SECONDS + 5, SESSION_SEEN_AT: 10})
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_session_settings_are_bounded():
    assert settings.FAZHI_SESSION_IDLE_SECONDS <= 30 * 60
    assert settings.FAZHI_SESSION_ABSOLUTE_SECONDS <= 12 * 3600
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_COOKIE_HTTPONLY


# ---------------------------------------------------------------------------------------------- tokens

def test_tokens_are_issued_listed_used_and_revoked(client, personas):
    client.force_login(personas.town_clerk)
    page = client.post(reverse("accounts:tokens")).content.decode()
    token = AuthToken.objects.get(user=personas.town_clerk)
    clear = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert clear.startswith(token.token_key) and len(clear) == 64
    assert token.digest != clear  # only the digest is stored
    auth = {"HTTP_AUTHORIZATION": f"Token {clear}"}
    client.logout()
    assert client.get("/api/records/", **auth).status_code == 200
    client.force_login(personas.town_clerk)
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert token.token_key in listing and clear not in listing
    client.force_login(personas.mediator)  # another user cannot revoke it (the same answer as a missing one)
    client.post(reverse("accounts:token_revoke", args=[token.token_key]))
    assert AuthToken.objects.filter(pk=token.pk).exists()
    client.force_login(personas.town_clerk)
    response = client.post(reverse("accounts:token_revoke", args=[token.token_key]))
    assert response.status_code == 302 and not AuthToken.objects.filter(pk=token.pk).exists()
    client.logout()
    assert client.get("/api/records/", **auth).status_code in (401, 403)
    actions = set(AuditEvent.objects.filter(actor=personas.town_clerk).values_list("action", flat=True))
    assert {"account.token.create", "account.token.revoke"} <= actions


def test_a_token_works_over_real_http_and_dies_when_revoked(served, axes_reset):
    browser = Browser(served.url)
    assert browser.login("town_clerk", "pw-town_clerk")[0] == 302
    csrf = browser.csrf("/account/tokens/")
    status, _, page = browser.request("POST", "/account/tokens/", data={"csrfmiddlewaretoken": csrf},
                                      headers={"Referer": served.url + "/account/tokens/"})
    assert status == 200
    clear = page.split('<code id="new-token">')[1].split("</code>")[0]
    api = Browser(served.url)
    assert api.request("GET", "/api/records/", headers={"Authorization": f"Token {clear}"})[0] == 200
    csrf = browser.csrf("/account/tokens/")
    status, _, _ = browser.request("POST", f"/account/tokens/{clear[:CONSTANTS.TOKEN_KEY_LENGTH]}/revoke/",
                                   data={"csrfmiddlewaretoken": csrf},
                                   headers={"Referer": served.url + "/account/tokens/"})
    assert status == 302
    assert api.request("GET", "/api/records/", headers={"Authorization": f"Token {clear}"})[0] in (401, 403)


def test_token_pages_require_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_behind_the_tls_proxy_the_address_is_the_one_the_proxy_appended(settings, rf):
    from fazhi.accounts.security import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    settings.TLS = False
    assert client_ip(request) == "127.0.0.1"  # without a proxy the header is the client's word: ignored
    settings.TLS = True
    assert client_ip(request) == "10.1.2.3"  # the first entry was written by the client: not trusted
