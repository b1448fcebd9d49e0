"""营商环境监督: three registers (督办函, 问题线索, 承诺兑现和欠款清偿); transitions, clock, access, seed figures."""

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.workdays import workday_calendar
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_transition
from tests.lines.support import (
    check_personas_access,
    line_officer,
)

LINE = "business_environment_supervision"
REGISTERS = ["business_supervision_letter", "business_supervision_clue", "business_commitment"]


@pytest.fixture
def officer(personas):
    return line_officer(personas)


@pytest.mark.parametrize("register", REGISTERS)
def test_personas_access(personas, officer, register):
    check_personas_access(personas, register, user=officer, unit=personas.town)


def test_letter_rectification_clock_is_fifteen_working_days(personas, officer):
    issued = dt.date(2025, 1, 20)  # 春节 2025 (28 January – 4 February) falls inside, 调休 26 January and 8 February count
    record = record_create(acting_user=officer, register="business_supervision_letter", org_unit=personas.town,
                           external_id="督-1", opened_on=issued,
                           payload={"issued_on": issued, "letter_number": "督-1", "addressee": "区住建局",
                                    "issue_area": "approval", "problem_count": 2, "problems": "审批超时限；一次性告知不到位"})
    clock = RecordClock.objects.get(record=record, code="rectification")
    assert clock.due_on == workday_calendar().add_working_days(issued, 15)
    assert clock.due_on == dt.date(2025, 2, 14)
    record = record_transition(acting_user=personas.town_clerk, record=record, transition="acknowledge",
                               on_date=dt.date(2025, 1, 21))
    record = record_transition(acting_user=officer, record=record, transition="close", on_date=dt.date(2025, 2, 17),
                               fields={"rectification_report": "已整改"})
    assert record.amount == 2
    clock.refresh_from_db()
    assert clock.stopped_on == dt.date(2025, 2, 17) and clock.stopped_on > clock.due_on  # missed


def test_clue_conclusion_records_persons(personas, officer):
    record = record_create(acting_user=officer, register="business_supervision_clue", org_unit=personas.district,
                           external_id="线-1", opened_on=dt.date(2025, 3, 3),
                           payload={"received_on": dt.date(2025, 3, 3), "source": "enterprise", "subject_unit": "某局",
                                    "summary": "刁难企业"})
    record = record_transition(acting_user=officer, record=record, transition="verify", on_date=dt.date(2025, 3, 4))
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="file_case", on_date=dt.date(2025, 3, 20))
    assert err.value.field == "case_number"
    record = record_transition(acting_user=officer, record=record, transition="file_case", on_date=dt.date(2025, 3, 20),
                               fields={"case_number": "纪-1"})
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="conclude", on_date=dt.date(2025, 5, 6),
                          fields={"persons_sanctioned": 3}, outcome="no_case")
    assert err.value.code == RecordErrorCode.OUTCOME_INVALID
    record = record_transition(acting_user=officer, record=record, transition="conclude", on_date=dt.date(2025, 5, 6),
                               fields={"persons_sanctioned": 3}, outcome="sanctioned")
    assert (record.status, record.outcome, record.amount) == ("concluded", "sanctioned", Decimal(3))
