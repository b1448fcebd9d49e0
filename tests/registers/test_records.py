import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core import access
from fazhi.core.models import AuditEvent
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import Record, RecordEvent
from fazhi.registers.selectors import record_replay, records_visible
from fazhi.registers.services import record_create, record_state, record_update

D = dt.date


def mediation(personas, **payload):
    data = {"organization_type": "traffic", "dispute_type": "traffic", "summary": "车辆剐蹭"}
    data.update(payload)
    return record_create(acting_user=personas.mediator, register="people_mediation", org_unit=personas.town,
                         external_id=payload.pop("external_id", "TJ-1"), payload=data, opened_on=D(2024, 5, 6))


def test_create_sets_columns_from_payload_and_writes_timeline_and_audit(personas):
    record = mediation(personas, subsidy="150")
    assert (record.status, record.category, record.amount) == ("registered", "traffic", Decimal("150.00"))
    assert record.definition_version == 1
    assert RecordEvent.objects.filter(record=record).count() == 1
    assert AuditEvent.objects.filter(object_type="registers.record", object_id=str(record.pk)).count() == 1
    assert record_replay(record) == record_state(record)


def test_choice_accepts_its_chinese_label(personas):
    record = mediation(personas, dispute_type="邻里纠纷")
    assert record.payload["dispute_type"] == "neighbourhood"


@pytest.mark.parametrize(("payload", "code", "field"), [
    ({"dispute_type": "外星纠纷"}, RecordErrorCode.FIELD_INVALID, "dispute_type"),
    ({"subsidy": "一百"}, RecordErrorCode.FIELD_INVALID, "subsidy"),
    ({"subsidy": "-5"}, RecordErrorCode.FIELD_INVALID, "subsidy"),
    ({"party": "某人"}, RecordErrorCode.FIELD_INVALID, "party"),
    # a missing person gets the answer of one outside the jurisdiction (tests/registers/test_references.py)
    ({"party": 999999}, RecordErrorCode.REFERENCE_OUT_OF_JURISDICTION, "party"),
    ({"colour": "red"}, RecordErrorCode.UNKNOWN_FIELD, "colour"),
    ({"summary": ""}, RecordErrorCode.FIELD_REQUIRED, "summary"),
])
def test_bad_payload_is_refused_naming_the_field_and_nothing_is_written(personas, payload, code, field):
    before = (Record.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RecordError) as err:
        mediation(personas, **payload)
    assert (err.value.code, err.value.field) == (code, field)
    assert err.value.message  # a Chinese message for people
    assert (Record.objects.count(), AuditEvent.objects.count()) == before


def test_bad_date_names_the_field(personas):
    with pytest.raises(RecordError) as err:
        record_create(acting_user=personas.review_officer, register="administrative_review",
                      org_unit=personas.justice_bureau, external_id="R-1",
                      payload={"received_on": "2024-02-30", "applicant": None, "respondent": "x", "matter": "penalty"})
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_INVALID, "received_on")


def test_duplicate_external_id(personas):
    mediation(personas)
    with pytest.raises(RecordError) as err:
        mediation(personas)
    assert err.value.code == RecordErrorCode.DUPLICATE_EXTERNAL_ID
    assert Record.objects.count() == 1


def test_update_records_a_diff_and_keeps_replay_in_step(personas):
    record = mediation(personas)
    record = record_update(acting_user=personas.mediator, record=record, changes={"organization_type": "police"})
    assert record.category == "police"
    last = RecordEvent.objects.filter(record=record).last()
    assert last.kind == "updated" and last.data["set"] == {"category": "police", "payload.organization_type": "police"}
    assert record_replay(record) == record_state(record)
    # An update that changes nothing writes nothing.
    n = AuditEvent.objects.count()
    record_update(acting_user=personas.mediator, record=record, changes={"organization_type": "police"})
    assert AuditEvent.objects.count() == n


def test_update_cannot_empty_a_required_field(personas):
    record = mediation(personas)
    with pytest.raises(RecordError) as err:
        record_update(acting_user=personas.mediator, record=record, changes={"summary": None})
    assert err.value.code == RecordErrorCode.FIELD_REQUIRED


def test_create_and_update_outside_jurisdiction_are_refused(personas):
    with pytest.raises(access.AccessDenied):
        record_create(acting_user=personas.other_mediator, register="people_mediation", org_unit=personas.town,
                      external_id="X", payload={"organization_type": "village", "dispute_type": "other", "summary": "x"})
    record = mediation(personas)
    for user in (personas.other_mediator, personas.outsider, personas.leader):
        with pytest.raises(access.AccessDenied):
            record_update(acting_user=user, record=record, changes={"summary": "改"})
    record.refresh_from_db()
    assert record.payload["summary"] == "车辆剐蹭"


def test_list_queries_are_scoped(personas):
    mediation(personas)
    assert records_visible(personas.town_clerk).count() == 1
    assert records_visible(personas.leader).count() == 1
    assert records_visible(personas.other_mediator).count() == 0
    assert records_visible(personas.outsider).count() == 0
    assert "org_unit_id" in str(records_visible(personas.outsider).query)  # scoped in SQL, not afterwards
