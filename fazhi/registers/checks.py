"""Django system checks: a broken definition stops `fazhi serve` and shows its file and position."""

from django.core import checks

from .registry import registry


@checks.register()
def definitions_valid(app_configs=None, **kwargs):
    return [checks.Error(str(err), id="fazhi.E001") for err in registry().errors]
