"""No date after today for things that happened (办结日期 three days ahead was accepted and the clock said 按期办结)."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.registers.services import (
    ImportRow,
    ImportStep,
    RecordImportError,
    record_bulk_import,
    record_create,
    record_transition,
)

PAYLOAD = {"organization_type": "traffic", "dispute_type": "traffic", "summary": "剐蹭"}


def _record(personas, opened_on):
    return record_create(acting_user=personas.mediator, register="people_mediation", org_unit=personas.town,
                         external_id="F-1", payload=dict(PAYLOAD), opened_on=opened_on)


def test_a_transition_dated_after_today_is_refused_at_its_field(personas):
    today = timezone.localdate()
    record = _record(personas, today - dt.timedelta(days=5))
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.mediator, record=record, transition="conclude",
                          on_date=today + dt.timedelta(days=3), fields={"mediator_name": "甲"}, outcome="success")
    assert err.value.code == RecordErrorCode.DATE_IN_FUTURE and err.value.field == "on_date"
    record.refresh_from_db()
    assert record.status == "registered" and record.closed_on is None
    # today itself is fine
    record_transition(acting_user=personas.mediator, record=record, transition="conclude", on_date=today,
                      fields={"mediator_name": "甲"}, outcome="success")


def test_a_record_opened_after_today_is_refused(personas):
    with pytest.raises(RecordError) as err:
        _record(personas, timezone.localdate() + dt.timedelta(days=1))
    assert err.value.code == RecordErrorCode.DATE_IN_FUTURE and err.value.field == "opened_on"
    assert not Record.objects.exists()


def test_a_date_field_of_something_that_happened_is_refused_but_a_deadline_may_lie_ahead():
    from fazhi.registers.payloads import payload_future_dates_refuse

    today = dt.date(2024, 6, 3)
    review = register_definition("administrative_review")
    with pytest.raises(RecordError) as err:
        payload_future_dates_refuse(review, {"received_on": "2024-06-04"}, today=today)
    assert err.value.code == RecordErrorCode.DATE_IN_FUTURE and err.value.field == "received_on"
    payload_future_dates_refuse(review, {"received_on": "2024-06-03"}, today=today)
    findings = register_definition("inspection_findings")
    assert findings.field("due_by").future  # 整改时限 is a deadline
    payload_future_dates_refuse(findings, {"due_by": "2025-01-01"}, today=today)


def test_bulk_import_refuses_future_dates_against_the_given_today(personas):
    rows = [
        ImportRow("I-1", personas.town, dt.date(2024, 3, 1), dict(PAYLOAD), steps=[
            ImportStep("conclude", dt.date(2024, 3, 9), fields={"mediator_name": "甲"}, outcome="success")]),
        ImportRow("I-2", personas.town, dt.date(2024, 3, 20), dict(PAYLOAD)),
    ]
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=rows,
                           today=dt.date(2024, 3, 8))
    assert [(r.index, r.code) for r in err.value.rejected] == [(0, "date_in_future"), (1, "date_in_future")]
    assert not Record.objects.exists()
    assert record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=rows,
                              today=dt.date(2024, 3, 20)) == 2
