from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    verbose_name = "年度报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The outline and every line's sentences are validated and merged once, at start-up (after the
        # indicators, whose codes the placeholders name); a broken file is a system-check error naming
        # its file and position, like the other definition kinds.
        from fazhi.core.definitionfiles import DefinitionKind, definition_kind_register

        from .registry import reports_load, reports_summaries

        reports_load()
        definition_kind_register(DefinitionKind("report", reports_summaries))
