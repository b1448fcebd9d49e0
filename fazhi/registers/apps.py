from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "fazhi.registers"
    verbose_name = "登记簿"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Definitions are validated at start-up: a broken file stops fazhi with its file and position.
        from .registry import definitions_load

        definitions_load()
        from . import checks  # noqa: F401  (registers the system check)
