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


# django-otp's device fields: (Chinese name, Chinese help) in place of its English plain strings, used by the
# device admin's form, columns and filters (fazhi.accounts.admin).
TOTP_FIELDS = {
    "user": ("用户", "此设备所属的用户"),
    "name": ("名称", "设备的名称，便于辨认"),
    "confirmed": ("已确认", "此设备是否已可使用"),
    "created_at": ("创建时间", "设备首次创建的时间"),
    "last_used_at": ("最近使用时间", "最近一次使用此设备的时间"),
    "key": ("密钥", "十六进制编码的密钥，最长40字节"),
    "step": ("时间步长", "每个动态码的有效秒数"),
    "t0": ("起始时间", "开始计算时间步的 Unix 时间"),
    "digits": ("位数", "动态码的位数"),
    "tolerance": ("容差", "允许前后偏差的时间步数"),
    "drift": ("时钟偏差", "已知的验证器时钟偏差（时间步数）"),
    "last_t": ("最近时间步", "最近一次验证通过的时间步；下一个动态码须在其后"),
    "throttling_failure_timestamp": ("最近失败时间", "最近一次验证失败的时间；成功后清空"),
    "throttling_failure_count": ("连续失败次数", "连续验证失败的次数"),
}


class TotpConfig(TotpAppConfig):  # type: ignore[misc]  # django-otp has no type information
    verbose_name = "动态口令（双因素认证）"

    def ready(self) -> None:
        super().ready()
        # The device fields' names are given by the admin (accounts/admin.py): setting a model field's
        # verbose_name here would make makemigrations want a migration inside django-otp.
        _models_name(self, {"totpdevice": "动态口令设备"})


class TasksDbConfig(TasksAppConfig):
    verbose_name = "后台任务"

    def ready(self) -> None:
        super().ready()
        _models_name(self, {"dbtaskresult": "后台任务结果"})
