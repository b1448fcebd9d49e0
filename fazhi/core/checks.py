"""Django system checks: a broken definition stops `fazhi serve` and shows its file and position."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.core import checks

from .definitionfiles import definition_kinds


@checks.register()
def definitions_valid(app_configs: Sequence[AppConfig] | None = None, **kwargs: object) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for kind in definition_kinds():
        errors += [checks.Error(str(err), id="fazhi.E001") for err in kind.load()[1]]
    return errors
