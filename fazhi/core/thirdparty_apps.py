"""The third-party apps fazhi installs, under Chinese names in the admin (issue 13: only Chinese chrome).

django-axes, knox, django-otp's TOTP plugin and django-tasks-db name their apps and models in English
(some as plain strings, which no catalogue can translate), so INSTALLED_APPS names these configs in place
of the packages' own. Each subclasses the package's config, so its ready() still runs. Only the names in
`_meta` are replaced at start-up — the models' Meta (and so their migrations) stay the packages' own.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig
from django_tasks_db.apps import TasksAppConfig


def _models_name(config: AppConfig, names: dict[str, str]) -> None:
    """Model name (lower case) → its Chinese name; Chinese has no plural, so both names are the same."""
    for model_name, name in names.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name = name
        meta.verbose_name_plural = name


class AxesConfig(AxesAppConfig):  # type: ignore[misc]  # axes has no type information
    verbose_name = "登录失败锁定"

    def ready(self) -> None:
        super().ready()
        _models_name(self, {
            "accessattempt": "登录失败计数",
            "accessattemptexpiration": "登录失败计数期限",
            "accessfailurelog": "登录失败记录",
            "accesslog": "登录记录",
        })


class KnoxConfig(AppConfig):
    name = "knox"
    verbose_name = "接口令牌"
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        _models_name(self, {"authtoken": "接口令牌"})


class TotpConfig(TotpAppConfig):  # type: ignore[misc]  # django-otp has no type information
    verbose_name = "动态口令（双因素认证）"

    def ready(self) -> None:
        super().ready()
        _models_name(self, {"totpdevice": "动态口令设备"})


class TasksDbConfig(TasksAppConfig):
    verbose_name = "后台任务"

    def ready(self) -> None:
        super().ready()
        _models_name(self, {"dbtaskresult": "后台任务结果"})
