from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _roles_sync(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """After every migrate (and every flush between tests): the role files' roles are in the Role table."""
    from .models import Role
    from .roles import roles_sync

    roles_sync(Role, using=using)


class CoreConfig(AppConfig):
    name = "fazhi.core"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the definition system check)
        from .definitionfiles import DefinitionKind, definition_kind_register
        from .roles import roles_summaries

        definition_kind_register(DefinitionKind("role", roles_summaries))
        post_migrate.connect(_roles_sync, sender=self, dispatch_uid="fazhi.core.roles_sync")

        from .history import triggers_ensure

        post_migrate.connect(triggers_ensure, sender=self, dispatch_uid="fazhi_history_triggers_ensure")
