from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "fazhi.indicators"
    verbose_name = "指标"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fazhi.core.definitionfiles import DefinitionKind, definition_kind_register

        from .registry import indicators_load, indicators_summaries

        indicators_load()
        definition_kind_register(DefinitionKind("indicator", indicators_summaries))
