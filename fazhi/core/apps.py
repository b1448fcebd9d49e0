from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "fazhi.core"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the definition system check)
        from .history import triggers_ensure

        post_migrate.connect(triggers_ensure, sender=self, dispatch_uid="fazhi_history_triggers_ensure")
