"""公益诉讼: definition, transitions, the reply and announcement clocks, access, seed figures."""

import datetime as dt

import pytest

from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.services import record_create, record_transition
from tests.lines.support import (
    check_personas_access,
    line_officer,
)

LINE = REGISTER = "public_interest_litigation"


@pytest.fixture
def procurator(personas):
    return line_officer(personas, "procurator")


def _case(user, unit, filed, case_type="administrative", n=1):
    return record_create(acting_user=user, register=REGISTER, org_unit=unit, external_id=f"公益-{n}", opened_on=filed,
                         payload={"filed_on": filed, "case_type": case_type, "domain": "ecology",
                                  "respondent": "区生态环境分局", "summary": "河道非法倾倒垃圾"})


def _recommend(user, record, issued, served, urgency):
    return record_transition(acting_user=user, record=record, transition="issue_recommendation", on_date=issued,
                             fields={"procedure": "recommendation", "recommendation_number": "东检行公建〔2024〕1号",
                                     "served_on": served, "urgency": urgency})


def test_personas_access(personas, procurator):
    check_personas_access(personas, REGISTER, user=procurator, unit=personas.town)


def test_reply_clock_is_two_months_from_service(personas, procurator):
    record = _case(procurator, personas.district, dt.date(2024, 3, 1))
    # Issued 11 March, served 13 March: two months end on 13 May (a Monday).
    record = _recommend(procurator, record, dt.date(2024, 3, 11), dt.date(2024, 3, 13), "normal")
    clocks = {c.code: c for c in RecordClock.objects.filter(record=record)}
    assert set(clocks) == {"recommendation_reply"}
    assert (clocks["recommendation_reply"].started_on, clocks["recommendation_reply"].due_on) == (
        dt.date(2024, 3, 13), dt.date(2024, 5, 13))
    record = record_transition(acting_user=procurator, record=record, transition="receive_reply",
                               on_date=dt.date(2024, 5, 10), fields={"reply_summary": "已整改"})
    clocks["recommendation_reply"].refresh_from_db()
    assert clocks["recommendation_reply"].stopped_on == dt.date(2024, 5, 10)


def test_reply_clock_ending_on_a_holiday_moves_to_the_next_working_day(personas, procurator):
    # Served 1 August 2024: two months end on 1 October (国庆), so the reply is due on 8 October.
    record = _recommend(procurator, _case(procurator, personas.district, dt.date(2024, 7, 22)),
                        dt.date(2024, 7, 30), dt.date(2024, 8, 1), "normal")
    assert RecordClock.objects.get(record=record, code="recommendation_reply").due_on == dt.date(2024, 10, 8)


def test_urgent_reply_clock_is_fifteen_days(personas, procurator):
    record = _recommend(procurator, _case(procurator, personas.district, dt.date(2024, 6, 3)),
                        dt.date(2024, 6, 5), dt.date(2024, 6, 6), "urgent")
    clocks = {c.code: c for c in RecordClock.objects.filter(record=record)}
    assert set(clocks) == {"urgent_reply"}
    assert clocks["urgent_reply"].due_on == dt.date(2024, 6, 21)


def test_civil_announcement_starts_no_clock(personas, procurator):
    # 诉前公告 is a waiting period before suing, not a deadline: no clock, so no false 逾期.
    record = _case(procurator, personas.district, dt.date(2024, 4, 1), case_type="civil")
    record = record_transition(acting_user=procurator, record=record, transition="announce",
                               on_date=dt.date(2024, 4, 8), fields={"procedure": "announcement"})
    assert not RecordClock.objects.filter(record=record).exists()


def test_recommendation_requires_service_date_and_urgency(personas, procurator):
    record = _case(procurator, personas.district, dt.date(2024, 3, 1))
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=procurator, record=record, transition="issue_recommendation",
                          on_date=dt.date(2024, 3, 11), fields={"procedure": "recommendation",
                                                               "recommendation_number": "1号"})
    assert err.value.code == RecordErrorCode.FIELD_REQUIRED
