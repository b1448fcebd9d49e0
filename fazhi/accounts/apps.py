from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: lock-out, session lifetime, API tokens, the second factor (issue 12, item 3)."""

    name = "fazhi.accounts"
    label = "accounts"
    verbose_name = "账户与登录"

    def ready(self):
        from . import signals  # noqa: F401 — connects the receivers
