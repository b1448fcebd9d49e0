"""诉前调解: definition, transitions, the 30-day 委派调解 clock, access, seed figures."""

import datetime as dt

import pytest

from fazhi.core import access
from fazhi.registers.errors import RecordError
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_extend_deadline, record_transition
from tests.lines.support import (
    check_personas_access,
    line_officer,
)

LINE = REGISTER = "pre_litigation_mediation"


@pytest.fixture
def court(personas):
    return line_officer(personas, "court_staff")


def _dispute(user, unit, referred, stage="pre_litigation", n=1):
    return record_create(acting_user=user, register=REGISTER, org_unit=unit, external_id=f"调-{n}", opened_on=referred,
                         payload={"referred_on": referred, "stage": stage, "online": True, "dispute_type": "traffic",
                                  "case_number": f"（2024）辽0403民诉前调{n}号", "parties": "甲与乙"})


def test_personas_access(personas, court):
    check_personas_access(personas, REGISTER, user=court, unit=personas.town)


def test_mediator_concludes_only_in_own_town(personas, court):
    own = record_transition(acting_user=court, record=_dispute(court, personas.town, dt.date(2024, 5, 6)),
                            transition="assign", on_date=dt.date(2024, 5, 6), fields={"mediator_name": "哈达镇调委会"})
    own = record_transition(acting_user=personas.mediator, record=own, transition="conclude",
                            on_date=dt.date(2024, 5, 20), outcome="success")
    assert own.outcome == "success"
    other = record_transition(acting_user=court, record=_dispute(court, personas.street, dt.date(2024, 5, 6), n=2),
                              transition="assign", on_date=dt.date(2024, 5, 6), fields={"mediator_name": "新屯调委会"})
    with pytest.raises(access.AccessDenied):
        record_transition(acting_user=personas.mediator, record=other, transition="conclude",
                          on_date=dt.date(2024, 5, 20), outcome="success")


def test_delegated_mediation_clock_is_thirty_days_for_pre_filing_only(personas, court):
    # Referred Monday 2 September 2024: day 30 is Wednesday 2 October (国庆), so the period ends on 8 October.
    record = _dispute(court, personas.district, dt.date(2024, 9, 2))
    clock = RecordClock.objects.get(record=record, code="delegated_mediation")
    assert (clock.started_on, clock.due_on) == (dt.date(2024, 9, 2), dt.date(2024, 10, 8))
    # With both parties' consent the period is extended once, by at most 30 days.
    clock = record_extend_deadline(acting_user=court, record=record, clock="delegated_mediation", length=30,
                                   reason="双方当事人同意延长调解期限。", approver=personas.district_admin,
                                   on_date=dt.date(2024, 9, 30))
    assert clock.due_on == dt.date(2024, 11, 7)
    with pytest.raises(RecordError):
        record_extend_deadline(acting_user=court, record=record, clock="delegated_mediation", length=5,
                               reason="再次延长", approver=personas.district_admin, on_date=dt.date(2024, 11, 1))
    # 诉中委托调解 has no such clock.
    in_court = _dispute(court, personas.district, dt.date(2024, 9, 2), stage="in_litigation", n=2)
    assert not RecordClock.objects.filter(record=in_court).exists()
