"""安置帮教: the handover clock."""

import datetime as dt

from fazhi.registers.models import RecordClock
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date


def test_resettlement_handover_one_month(personas):
    record = create_sample(register_definition("resettlement"), user=personas.correction_officer,
                           unit=personas.town_office, opened_on=D(2024, 1, 31),
                           payload={"notified_on": D(2024, 1, 31), "release_on": D(2024, 2, 28)})
    assert RecordClock.objects.get(record=record, code="handover").due_on == D(2024, 2, 29)
