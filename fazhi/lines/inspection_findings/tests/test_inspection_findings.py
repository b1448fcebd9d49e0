"""法治督察问题整改: definition, the two-month rectification clock, closing rules, access, seed figures."""

import datetime as dt

import pytest

from fazhi.core import access
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_transition
from tests.lines.support import check_personas_access, line_officer

LINE = REGISTER = "inspection_findings"


def _payload(received: dt.date, **extra) -> dict:
    return {"received_on": received, "inspection": "法治建设实地督察", "source": "superior", "aspect": "enforcement",
            "description": "执法案卷文书不规范", **extra}


@pytest.fixture
def officer(personas):
    return line_officer(personas)


def test_personas_access(personas, officer):
    check_personas_access(personas, REGISTER, user=officer, unit=personas.town)


def test_rectification_clock_runs_two_months_from_feedback(personas, officer):
    # Fed back 31 August 2024: two months end on 31 October (民法典 第201条), a Thursday, a working day.
    record = record_create(acting_user=officer, register=REGISTER, org_unit=personas.town, external_id="DC-1",
                           opened_on=dt.date(2024, 8, 31), payload=_payload(dt.date(2024, 8, 31)))
    clock = RecordClock.objects.get(record=record, code="rectification")
    assert (clock.started_on, clock.due_on) == (dt.date(2024, 8, 31), dt.date(2024, 10, 31))
    # Fed back 30 December 2024: two months land on 28 February 2025 (no 30 February: the last day of the month).
    record = record_create(acting_user=officer, register=REGISTER, org_unit=personas.town, external_id="DC-2",
                           opened_on=dt.date(2024, 12, 30), payload=_payload(dt.date(2024, 12, 30)))
    assert RecordClock.objects.get(record=record, code="rectification").due_on == dt.date(2025, 2, 28)


def test_closing_needs_measures_result_and_an_outcome_and_stops_the_clock(personas, officer):
    record = record_create(acting_user=officer, register=REGISTER, org_unit=personas.town, external_id="DC-3",
                           opened_on=dt.date(2024, 6, 3), payload=_payload(dt.date(2024, 6, 3)))
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.town_clerk, record=record, transition="plan", on_date=dt.date(2024, 6, 5))
    assert err.value.code == RecordErrorCode.FIELD_REQUIRED
    record = record_transition(acting_user=personas.town_clerk, record=record, transition="plan",
                               on_date=dt.date(2024, 6, 5), fields={"measures": "组织案卷自查"})
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="close", on_date=dt.date(2024, 7, 1),
                          fields={"result": "已整改"})
    assert err.value.code == RecordErrorCode.OUTCOME_REQUIRED
    with pytest.raises(access.AccessDenied):  # the town's liaison plans; only the office closes a finding
        record_transition(acting_user=personas.town_clerk, record=record, transition="close",
                          on_date=dt.date(2024, 7, 1), fields={"result": "已整改"}, outcome="completed")
    record = record_transition(acting_user=officer, record=record, transition="close", on_date=dt.date(2024, 7, 1),
                               fields={"result": "已整改"}, outcome="completed")
    assert RecordClock.objects.get(record=record, code="rectification").stopped_on == dt.date(2024, 7, 1)
