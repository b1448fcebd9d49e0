"""12345 热线工单: definition, transitions, the local handling clock, access, seed figures."""

import datetime as dt

import pytest

from fazhi.core import access
from fazhi.core.workdays import workday_calendar
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_extend_deadline, record_transition
from tests.lines.support import (
    DAY,
    check_personas_access,
    line_officer,
)

LINE = "hotline_12345"
REGISTER = "hotline_12345"


@pytest.fixture
def dispatcher(personas):
    return line_officer(personas)


def _order(user, unit, received=DAY, **extra):
    payload = {"received_on": received, "channel": "phone", "topic": "housing", "request_type": "complaint",
               "content": "冬季供暖温度不达标", **extra}
    return record_create(acting_user=user, register=REGISTER, org_unit=unit, external_id=f"T-{received}-{unit.pk}",
                         payload=payload, opened_on=received)


def test_personas_access(personas, dispatcher):
    check_personas_access(personas, REGISTER, user=dispatcher, unit=personas.town)


def test_town_liaison_handles_own_town_orders_only(personas, dispatcher):
    own = record_transition(acting_user=dispatcher, record=_order(dispatcher, personas.town), transition="dispatch",
                            on_date=DAY)
    own = record_transition(acting_user=personas.town_clerk, record=own, transition="sign", on_date=DAY)
    own = record_transition(acting_user=personas.town_clerk, record=own, transition="conclude", on_date=DAY,
                            fields={"reply": "已协调供热公司处理。"})
    assert own.status == "concluded"
    # Only the platform revisits: the liaison cannot rate its own work.
    with pytest.raises(access.AccessDenied):
        record_transition(acting_user=personas.town_clerk, record=own, transition="revisit", on_date=DAY,
                          outcome="satisfied")
    with pytest.raises(access.AccessDenied):
        _order(personas.town_clerk, personas.town, received=DAY + dt.timedelta(days=1))


def test_revisit_records_satisfaction_and_reopen_clears_it(personas, dispatcher):
    record = record_transition(acting_user=dispatcher, record=_order(dispatcher, personas.town),
                               transition="answer_directly", on_date=DAY, fields={"reply": "已答复。"})
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=dispatcher, record=record, transition="revisit", on_date=DAY)
    assert err.value.code == RecordErrorCode.OUTCOME_REQUIRED
    record = record_transition(acting_user=dispatcher, record=record, transition="revisit", on_date=DAY,
                               outcome="dissatisfied")
    assert (record.status, record.outcome) == ("revisited", "dissatisfied")
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=dispatcher, record=record, transition="reopen", on_date=DAY)
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    record = record_transition(acting_user=dispatcher, record=record, transition="reopen", on_date=DAY,
                               note="回访不满意，退回重办。")
    assert (record.status, record.outcome, record.closed_on) == ("handling", "", None)


def test_handling_clock_is_five_working_days_from_dispatch_with_one_extension(personas, dispatcher):
    cal = workday_calendar()
    # Dispatched on Friday 27 September 2024: the 调休 make-up Sunday 29 September counts, the 国庆
    # holiday (1–7 October) does not: 29 and 30 September, 8, 9 and 10 October.
    record = _order(dispatcher, personas.town, received=dt.date(2024, 9, 27))
    record = record_transition(acting_user=dispatcher, record=record, transition="dispatch",
                               on_date=dt.date(2024, 9, 27))
    clock = RecordClock.objects.get(record=record, code="handling")
    assert clock.started_on == dt.date(2024, 9, 27)
    assert clock.due_on == cal.add_working_days(dt.date(2024, 9, 27), 5)
    assert clock.due_on == dt.date(2024, 10, 10)
    clock = record_extend_deadline(acting_user=dispatcher, record=record, clock="handling", length=10,
                                   reason="涉及多个部门，需联合处置。", approver=personas.district_admin,
                                   on_date=dt.date(2024, 10, 10))
    assert clock.due_on == cal.add_working_days(dt.date(2024, 10, 10), 10)
    with pytest.raises(RecordError):
        record_extend_deadline(acting_user=dispatcher, record=record, clock="handling", length=1,
                               reason="再次延期", approver=personas.district_admin, on_date=dt.date(2024, 10, 12))


def test_extension_longer_than_ten_working_days_is_refused(personas, dispatcher):
    record = record_transition(acting_user=dispatcher, record=_order(dispatcher, personas.town),
                               transition="dispatch", on_date=DAY)
    with pytest.raises(RecordError):
        record_extend_deadline(acting_user=dispatcher, record=record, clock="handling", length=11,
                               reason="情况复杂", approver=personas.district_admin, on_date=DAY)
