"""The account pages: my API tokens (list, issue, revoke) and changing my password."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .otp import confirmed_device
from .selectors import tokens_of_user
from .services import (
    TokenError,
    otp_device_confirm,
    otp_device_start,
    password_changed_audit,
    token_create,
    token_revoke,
)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_token = None
    if request.method == "POST":
        try:
            _, new_token = token_create(acting_user=request.user)
        except TokenError as exc:
            messages.error(request, exc.message)
    from django.conf import settings

    token_ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert isinstance(token_ttl, dt.timedelta)  # settings.py sets it from FAZHI_API_TOKEN_DAYS

    return render(request, "accounts/tokens.html", {
        "tokens": tokens_of_user(request.user), "new_token": new_token,
        "token_days": token_ttl.days})


@login_required
@require_POST
def token_revoke_view(request, token_key: str):
    try:
        token_revoke(acting_user=request.user, token_key=token_key)
        messages.success(request, f"令牌 {token_key}… 已吊销")
    except TokenError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form (old password, the validators of AUTH_PASSWORD_VALIDATORS) plus an audit row."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed_audit(acting_user=self.request.user)
        messages.success(self.request, "密码已修改")
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out account or address: 429 with a Chinese message."""
    from django.conf import settings
    from django.http import JsonResponse

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"连续{settings.AXES_FAILURE_LIMIT}次密码错误，登录已锁定{minutes}分钟，请稍后再试或联系系统管理员"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: show the secret (and its QR code), confirm with a first code."""
    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and device is not None:
        if otp_device_confirm(acting_user=request.user, device=device, token=request.POST.get("token", "")):
            otp_login(request, device)
            messages.success(request, "已启用身份验证器：今后登录需输入6位动态码")
            return redirect("accounts:tokens")
        messages.error(request, "动态码不正确，请核对手机时间后重试")
    if device is None:
        device = otp_device_start(acting_user=request.user)
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    uri = device.config_url
    return render(request, "accounts/otp_setup.html", {
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr": segno.make(uri, error="m").svg_inline(scale=4),
        "enrolled": confirmed_device(request.user) is not None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: the 6-digit code of the user's authenticator."""
    from django_otp import login as otp_login

    device = confirmed_device(request.user)
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if device is None or request.user.is_verified():
        return redirect(target or "web:home")
    if request.method == "POST":
        ok, _ = device.verify_is_allowed()
        if ok and device.verify_token(request.POST.get("token", "").strip()):
            otp_login(request, device)
            return redirect(target or "web:home")
        messages.error(request, "动态码不正确或尝试过于频繁，请稍后重试")
    return render(request, "accounts/otp_verify.html", {"next": target})
