"""万件清理: definition, transitions, the handling clock, access, seed figures."""

import datetime as dt

import pytest

from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_transition
from tests.lines.support import (
    check_personas_access,
    line_officer,
)

LINE = REGISTER = "special_cleanup"


@pytest.fixture
def officer(personas):
    return line_officer(personas)


def test_personas_access(personas, officer):
    check_personas_access(personas, REGISTER, user=officer, unit=personas.town)


def test_handling_clock_runs_thirty_calendar_days_from_assignment(personas, officer):
    # Assigned Monday 16 September 2024 (a 中秋 holiday): 30 days end on Wednesday 16 October.
    record = record_create(acting_user=officer, register=REGISTER, org_unit=personas.town, external_id="WJ-1",
                           opened_on=dt.date(2024, 9, 16),
                           payload={"assigned_on": dt.date(2024, 9, 16), "batch": "b04", "deadline": dt.date(2024, 10, 31),
                                    "matter_type": "arrears", "content": "工程款被拖欠"})
    clock = RecordClock.objects.get(record=record, code="handling")
    assert (clock.started_on, clock.due_on) == (dt.date(2024, 9, 16), dt.date(2024, 10, 16))
    # Assigned Friday 6 September: day 30 is Sunday 6 October, inside 国庆; the clock moves to Tuesday 8 October.
    record = record_create(acting_user=officer, register=REGISTER, org_unit=personas.town, external_id="WJ-2",
                           opened_on=dt.date(2024, 9, 6),
                           payload={"assigned_on": dt.date(2024, 9, 6), "batch": "b04", "deadline": dt.date(2024, 10, 31),
                                    "matter_type": "arrears", "content": "工程款被拖欠"})
    assert RecordClock.objects.get(record=record, code="handling").due_on == dt.date(2024, 10, 8)


def test_conclusion_requires_result_and_outcome(personas, officer):
    record = record_create(acting_user=officer, register=REGISTER, org_unit=personas.town, external_id="WJ-3",
                           opened_on=dt.date(2024, 3, 15),
                           payload={"assigned_on": dt.date(2024, 3, 15), "batch": "b01", "deadline": dt.date(2024, 4, 30),
                                    "matter_type": "approval", "content": "不动产权证未办理"})
    record = record_transition(acting_user=personas.town_clerk, record=record, transition="accept",
                               on_date=dt.date(2024, 3, 18))
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="conclude", on_date=dt.date(2024, 4, 1),
                          outcome="resolved")
    assert err.value.code == RecordErrorCode.FIELD_REQUIRED
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="conclude", on_date=dt.date(2024, 4, 1),
                          fields={"result": "已办证"})
    assert err.value.code == RecordErrorCode.OUTCOME_REQUIRED
    record = record_transition(acting_user=officer, record=record, transition="conclude", on_date=dt.date(2024, 4, 1),
                               fields={"result": "已办证"}, outcome="resolved")
    assert RecordClock.objects.get(record=record, code="handling").stopped_on == dt.date(2024, 4, 1)
