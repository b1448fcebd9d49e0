"""审前调查评估: the assessment clock."""

import datetime as dt

from fazhi.registers.models import RecordClock
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date


def test_pretrial_assessment_ten_working_days(personas):
    record = create_sample(register_definition("pretrial_assessment"), user=personas.correction_officer,
                           unit=personas.town_office, opened_on=D(2024, 9, 26),
                           payload={"received_on": D(2024, 9, 26)})
    # 27 Sep, 29 Sep (调休 Sunday), 30 Sep; 国庆 1–7 Oct; 8, 9, 10, 11, 12 (调休 Saturday), 14, 15 Oct:
    # the tenth working day is Tuesday 15 Oct.
    assert RecordClock.objects.get(record=record, code="assessment").due_on == D(2024, 10, 15)
