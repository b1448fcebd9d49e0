"""record_bulk_import: same rules as the one-by-one services, all or nothing, every bad row kept."""

import datetime as dt

import pytest

from fazhi.core.models import AuditEvent
from fazhi.registers.models import Record, RecordClock, RecordEvent
from fazhi.registers.rollups import rollup_snapshot, rollups_rebuild
from fazhi.registers.selectors import record_replay
from fazhi.registers.services import (
    ImportRow,
    ImportStep,
    RecordImportError,
    record_bulk_import,
    record_state,
)

D = dt.date
PAYLOAD = {"organization_type": "traffic", "dispute_type": "traffic", "summary": "剐蹭"}


def rows(personas, n=3):
    return [
        ImportRow(f"B-{i}", personas.town, D(2024, 3, 1 + i), dict(PAYLOAD), steps=[
            ImportStep("start", D(2024, 3, 2 + i)),
            ImportStep("conclude", D(2024, 3, 5 + i), fields={"mediator_name": "甲"}, outcome="success"),
        ]) for i in range(n)
    ]


def test_import_writes_records_timelines_clocks_audit_and_rollups(personas):
    audits = AuditEvent.objects.count()
    assert record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=rows(personas)) == 3
    assert AuditEvent.objects.count() == audits + 3
    for record in Record.objects.all():
        assert (record.status, record.outcome, record.category) == ("concluded", "success", "traffic")
        assert record_replay(record) == record_state(record)
        assert RecordEvent.objects.filter(record=record).count() == 3
        clock = RecordClock.objects.get(record=record, code="conclude")
        assert clock.stopped_on == record.closed_on
    incremental = rollup_snapshot()
    rollups_rebuild()
    assert rollup_snapshot() == incremental


def test_bad_rows_reject_the_whole_batch_and_are_all_reported(personas):
    batch = rows(personas, 4)
    batch[1].payload["dispute_type"] = "外星纠纷"
    batch[2].steps[1].outcome = None
    batch[3].external_id = "B-0"
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=batch)
    got = [(r.index, r.code) for r in err.value.rejected]
    assert got == [(1, "field_invalid"), (2, "outcome_required"), (3, "duplicate_external_id")]
    assert "第2行" in str(err.value)
    assert Record.objects.count() == 0


def test_access_is_checked_per_row(personas):
    batch = rows(personas, 2)
    batch[1].org_unit = personas.street
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=batch)
    assert [(r.index, r.code) for r in err.value.rejected] == [(1, "access_denied")]


def test_existing_external_id_is_refused(personas):
    record_bulk_import(acting_user=None, register="people_mediation", rows=rows(personas, 1))
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=None, register="people_mediation", rows=rows(personas, 2))
    assert [(r.index, r.code) for r in err.value.rejected] == [(0, "duplicate_external_id")]
    assert Record.objects.count() == 1
