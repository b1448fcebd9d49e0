"""规范性文件备案审查: the filing and review clocks."""

import datetime as dt

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import RecordClock
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import clocks_overdue
from fazhi.registers.services import record_transition
from tests.registers.driving import create_sample

D = dt.date


def _clock(record, code):
    return RecordClock.objects.get(record=record, code=code)


def test_normative_document_filed_within_thirty_days_then_reviewed_in_fifteen_working_days(personas):
    admin = personas.district_admin
    # Published 20 September 2024: 30 days is 20 October, a Sunday — the period ends on Monday 21 October
    # (民法典 第二百零三条).
    record = create_sample(register_definition("normative_documents"), user=admin, unit=personas.justice_bureau,
                           opened_on=D(2024, 9, 20), payload={"published_on": D(2024, 9, 20)})
    assert _clock(record, "filing").due_on == D(2024, 10, 21)
    assert clocks_overdue(admin, today=D(2024, 10, 22)).filter(record=record, code="filing").exists()
    record = record_transition(acting_user=admin, record=record, transition="file", on_date=D(2024, 10, 22))
    filing = _clock(record, "filing")
    assert filing.stopped_on == D(2024, 10, 22) > filing.due_on  # filed one day late
    review = _clock(record, "review")
    assert review.started_on == D(2024, 10, 22)
    assert review.due_on == workday_calendar().add_working_days(D(2024, 10, 22), 15) == D(2024, 11, 12)
    record = record_transition(acting_user=admin, record=record, transition="pass_review", on_date=D(2024, 11, 8),
                               outcome="no_problem")
    assert _clock(record, "review").stopped_on == D(2024, 11, 8)
