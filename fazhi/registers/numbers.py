"""Case numbers (编号) given by the platform from a register's `number_pattern`."""

from __future__ import annotations

from fazhi.core.models import OrgUnit

from .definitions import RegisterDefinition
from .models import Record, RecordNumberCounter


def record_number_next(definition: RegisterDefinition, *, org_unit: OrgUnit, year: int) -> str:
    """The next free number of the register, unit and year. Call inside the transaction that saves the
    record: the counter row is locked (select_for_update) until it commits, so concurrent creations wait
    for each other and never get the same number. A number already taken (an imported record that
    brought it) is skipped."""
    assert definition.number_pattern is not None
    # get_or_create retries the get when a concurrent transaction inserted the row first (IntegrityError).
    counter, _ = RecordNumberCounter.objects.select_for_update().get_or_create(
        register=definition.code, org_unit=org_unit, year=year)
    while True:
        counter.last += 1
        number = definition.number_pattern.format(year=year, unit=org_unit.name, seq=counter.last)
        if not Record.objects.filter(register=definition.code, external_id=number).exists():
            break
    counter.save(update_fields=["last"])
    return number
