from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "fazhi.checker"
    verbose_name = "报告检查"
    default_auto_field = "django.db.models.BigAutoField"
