from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"
