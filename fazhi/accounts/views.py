"""The account pages: my API tokens (list, issue, revoke) and changing my password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .selectors import tokens_of_user
from .services import TokenError, password_changed_audit, token_create, token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_token = None
    if request.method == "POST":
        try:
            _, new_token = token_create(acting_user=request.user)
        except TokenError as exc:
            messages.error(request, exc.message)
    return render(request, "accounts/tokens.html", {"tokens": tokens_of_user(request.user), "new_token": new_token})


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
