from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "fazhi.datasets"
    verbose_name = "数据集"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Definitions are validated at start-up; a broken file is a system-check error naming
        # its file and position (core.checks iterates every registered kind).
        from fazhi.core.definitionfiles import DefinitionKind, definition_kind_register

        from .registry import datasets_load, datasets_summaries

        datasets_load()
        definition_kind_register(DefinitionKind("dataset", datasets_summaries))
