from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "fazhi.registers"
    verbose_name = "登记簿"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Definitions are validated at start-up; a broken file is a system-check error naming
        # its file and position, which stops `fazhi serve`.
        from fazhi.core.definitionfiles import DefinitionKind, definition_kind_register

        from .registry import definitions_load, registers_summaries

        definitions_load()
        definition_kind_register(DefinitionKind("register", registers_summaries))
