from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "fazhi.datasets"
    verbose_name = "数据集"
    default_auto_field = "django.db.models.BigAutoField"
