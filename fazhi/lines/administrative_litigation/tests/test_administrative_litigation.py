"""行政应诉: definition, transitions, the 15-day answer clock, access, seed figures."""

import datetime as dt

import pytest

from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_transition
from tests.lines.support import (
    check_personas_access,
)

LINE = REGISTER = "administrative_litigation"


def _case(user, unit, served, n=1):
    return record_create(acting_user=user, register=REGISTER, org_unit=unit, external_id=f"行诉-{n}", opened_on=served,
                         payload={"served_on": served, "case_number": f"（2024）辽0403行初{n}号", "plaintiff": "某某",
                                  "defendant": "区市场监管局", "action_type": "penalty", "instance": "first"})


def test_personas_access(personas):
    check_personas_access(personas, REGISTER, user=personas.district_admin, unit=personas.town)


def test_answer_clock_is_fifteen_calendar_days(personas):
    officer = personas.review_officer
    # Served Thursday 5 September 2024: day 15 is Friday 20 September.
    record = _case(officer, personas.justice_bureau, dt.date(2024, 9, 5))
    clock = RecordClock.objects.get(record=record, code="answer")
    assert (clock.started_on, clock.due_on) == (dt.date(2024, 9, 5), dt.date(2024, 9, 20))
    # Served 20 September: day 15 is 5 October (国庆), so the period ends on Tuesday 8 October.
    record2 = _case(officer, personas.justice_bureau, dt.date(2024, 9, 20), n=2)
    assert RecordClock.objects.get(record=record2, code="answer").due_on == dt.date(2024, 10, 8)
    record = record_transition(acting_user=officer, record=record, transition="answer", on_date=dt.date(2024, 9, 19),
                               fields={"defence_filed_on": dt.date(2024, 9, 19)})
    clock.refresh_from_db()
    assert clock.stopped_on == dt.date(2024, 9, 19)


def test_hearing_records_whether_the_head_appeared(personas):
    officer = personas.review_officer
    record = _case(officer, personas.justice_bureau, dt.date(2024, 9, 5))
    record = record_transition(acting_user=officer, record=record, transition="answer", on_date=dt.date(2024, 9, 19),
                               fields={"defence_filed_on": dt.date(2024, 9, 19)})
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="attend_hearing", on_date=dt.date(2024, 10, 15))
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_REQUIRED, "head_appeared")
    record = record_transition(acting_user=officer, record=record, transition="attend_hearing",
                               on_date=dt.date(2024, 10, 15), fields={"head_appeared": False})
    assert record.payload["head_appeared"] is False
