"""Writes of the account pages: API tokens (django-rest-knox keeps only their SHA-512 digest)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from knox.models import AuthToken

from fazhi.core.audit import audit_event_write
from fazhi.core.auditactions import AuditAction

from .selectors import tokens_of_user


class TokenError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def token_create(*, acting_user) -> tuple[AuthToken, str]:
    """A new API token of the acting user; the clear token is returned once and never stored."""
    if tokens_of_user(acting_user).count() >= settings.FAZHI_API_TOKENS_PER_USER:
        raise TokenError("token_limit", f"最多同时持有{settings.FAZHI_API_TOKENS_PER_USER}个令牌，请先吊销不用的令牌")
    with transaction.atomic():
        token, clear = AuthToken.objects.create(user=acting_user)
        audit_event_write(actor=acting_user, action=AuditAction.ACCOUNT_TOKEN_CREATE, obj=acting_user,
                          diff={"token_key": [None, token.token_key], "expiry": [None, token.expiry]})
    return token, clear


def token_revoke(*, acting_user, token_key: str) -> None:
    """Revoke one of the acting user's own tokens (another user's token is 'not found', like a missing one)."""
    with transaction.atomic():
        deleted, _ = AuthToken.objects.filter(user=acting_user, token_key=token_key).delete()
        if not deleted:
            raise TokenError("token_not_found", "没有这个令牌")
        audit_event_write(actor=acting_user, action=AuditAction.ACCOUNT_TOKEN_REVOKE, obj=acting_user,
                          diff={"token_key": [token_key, None]})


def password_changed_audit(*, acting_user) -> None:
    """The audit row of a password change (the password itself is never written anywhere)."""
    audit_event_write(actor=acting_user, action=AuditAction.ACCOUNT_PASSWORD_CHANGE, obj=acting_user, diff={})


def otp_device_start(*, acting_user):
    """An unconfirmed TOTP device for the acting user (replacing an earlier unconfirmed one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=acting_user, name="身份验证器", confirmed=False)


def otp_device_confirm(*, acting_user, device, token: str) -> bool:
    """Confirm the device with a first code from the app; False when the code is wrong."""
    if device.user_id != acting_user.pk or not device.verify_token(token.strip()):
        return False
    with transaction.atomic():
        type(device).objects.filter(user=acting_user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_event_write(actor=acting_user, action=AuditAction.ACCOUNT_OTP_ENROL, obj=acting_user, diff={})
    return True
