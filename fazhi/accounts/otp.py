"""The optional second factor: TOTP (RFC 6238) by django-otp, for people who may see personal data.

A user who has confirmed an authenticator app must give its 6-digit code after the password on every
sign-in. With FAZHI_OTP_REQUIRED=1 every user whose roles may reveal personal data (身份证号, phones)
must enrol before using any page (ASVS 2.7/2.8 at level 2 for sensitive data); otherwise it is optional.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.core.models import Membership


def may_see_personal_data(user) -> bool:
    return user.is_superuser or Membership.objects.filter(user=user, role__sees_personal_data=True).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


# Paths a half-signed-in user may still reach: the code and enrolment pages, signing out, static files.
_OPEN_PREFIXES = ("/account/otp/", "/logout/", "/login/", "/static/")


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: a password-only session of a user with a device (or who must have
    one) reaches nothing but the code page. API token requests are not sessions and are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES)
                and not user.is_verified()):
            if confirmed_device(user) is not None:
                return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
            if settings.FAZHI_OTP_REQUIRED and may_see_personal_data(user):
                return redirect("accounts:otp_setup")
        return self.get_response(request)
