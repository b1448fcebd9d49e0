"""重大行政处罚备案: the filing clock."""

import datetime as dt

from fazhi.registers.models import RecordClock
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import clocks_overdue
from fazhi.registers.services import record_transition
from tests.registers.driving import create_sample

D = dt.date


def _clock(record, code):
    return RecordClock.objects.get(record=record, code=code)


def test_major_penalty_filed_within_fifteen_days_of_the_decision(personas):
    admin = personas.district_admin
    record = create_sample(register_definition("major_penalty_filing"), user=admin, unit=personas.justice_bureau,
                           opened_on=D(2024, 9, 25), payload={"decided_on": D(2024, 9, 25)})
    assert _clock(record, "filing").due_on == D(2024, 10, 10)  # 10 October is a working day after 国庆
    assert not clocks_overdue(admin, today=D(2024, 10, 10)).filter(record=record).exists()
    record = record_transition(acting_user=admin, record=record, transition="file", on_date=D(2024, 10, 9))
    assert _clock(record, "filing").stopped_on == D(2024, 10, 9)
