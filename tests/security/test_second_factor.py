"""The optional TOTP second factor (django-otp) for roles that may see personal data."""

from __future__ import annotations

import re

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from fazhi.core.models import AuditEvent


def _code(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_enrolment_shows_a_secret_and_a_qr_code_and_confirms_with_a_first_code(client, personas):
    client.force_login(personas.review_officer)
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "<svg" in page and re.search(r"密钥：<code>[A-Z2-7 ]{20,}</code>", page)
    device = TOTPDevice.objects.get(user=personas.review_officer, confirmed=False)
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the device wait (1 s, doubling): skip the wait
    right = client.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert right.status_code == 302
    assert TOTPDevice.objects.get(user=personas.review_officer).confirmed
    assert AuditEvent.objects.filter(action="account.otp.enrol", actor=personas.review_officer).exists()


def test_an_enrolled_user_needs_the_code_after_the_password(client, personas):
    device = TOTPDevice.objects.create(user=personas.review_officer, name="app", confirmed=True)
    response = client.post(reverse("login"), {"username": "review_officer", "password": "pw-review_officer"})
    assert response.status_code == 302
    home = client.get(reverse("web:home"))
    assert home.status_code == 302 and home.url.startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("web:record_list", args=["people_mediation"])).status_code == 302
    bad = client.post(reverse("accounts:otp_verify"), {"token": "12345"})
    assert bad.status_code == 200 and "动态码不正确" in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # past the back-off a wrong code imposes
    good = client.post(reverse("accounts:otp_verify"), {"token": _code(device), "next": "/"})
    assert good.status_code == 302 and good.url == "/"
    assert client.get(reverse("web:home")).status_code == 200


def test_a_code_cannot_be_replayed(client, personas):
    device = TOTPDevice.objects.create(user=personas.review_officer, name="app", confirmed=True)
    code = _code(device)
    assert device.verify_token(code)
    device.refresh_from_db()
    assert not device.verify_token(code)


def test_without_the_setting_the_second_factor_is_optional(client, personas):
    client.force_login(personas.review_officer)
    assert client.get(reverse("web:home")).status_code == 200


def test_with_the_setting_personal_data_roles_must_enrol_and_others_need_not(client, personas, settings):
    settings.FAZHI_OTP_REQUIRED = True
    client.force_login(personas.review_officer)  # 行政复议工作人员: may see personal data
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_setup")
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    client.force_login(personas.mediator)  # 人民调解员: sees masked data only
    assert client.get(reverse("web:home")).status_code == 200


def test_api_tokens_are_not_held_up_by_the_second_factor(client, personas):
    TOTPDevice.objects.create(user=personas.review_officer, name="app", confirmed=True)
    _, clear = AuthToken.objects.create(user=personas.review_officer)
    response = client.get("/api/records/", HTTP_AUTHORIZATION=f"Token {clear}")
    assert response.status_code == 200
