"""record_bulk_import: same rules as the one-by-one services, all or nothing, every bad row kept."""

import datetime as dt

import pytest

from fazhi.core.errors import CoreErrorCode
from fazhi.core.models import AuditEvent
from fazhi.registers.errors import RecordErrorCode
from fazhi.registers.models import Record, RecordClock, RecordEvent
from fazhi.registers.rollups import rollup_snapshot, rollups_rebuild
from fazhi.registers.selectors import record_replay
from fazhi.registers.services import (
    ImportClockStep,
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
    assert err.value.code == RecordErrorCode.IMPORT_REJECTED and "第2行" in err.value.message  # names the row
    assert Record.objects.count() == 0


def test_access_is_checked_per_row(personas):
    batch = rows(personas, 2)
    batch[1].org_unit = personas.street
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=batch)
    assert [(r.index, r.code) for r in err.value.rejected] == [(1, CoreErrorCode.FORBIDDEN)]


def test_existing_external_id_is_refused(personas):
    record_bulk_import(acting_user=None, register="people_mediation", rows=rows(personas, 1))
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=None, register="people_mediation", rows=rows(personas, 2))
    assert [(r.index, r.code) for r in err.value.rejected] == [(0, "duplicate_external_id")]
    assert Record.objects.count() == 1


def _review_row(personas, number: str, *clock_steps):
    received = D(2024, 3, 4)
    return ImportRow(number, personas.justice_bureau, received,
                     {"received_on": received, "applicant": None, "respondent": "区市场监督管理局", "matter": "penalty"},
                     steps=[ImportStep("accept", D(2024, 3, 6)), ImportStep("start_hearing", D(2024, 3, 6)),
                            *clock_steps])


def test_imported_extensions_and_suspensions_follow_the_services_rules(personas):
    from fazhi.core.services import person_create

    officer, head = personas.review_officer, personas.district_admin
    extend = ImportClockStep("extend", "decision", D(2024, 4, 30), reason="案情复杂", length=30, approver=head)
    row = _review_row(personas, "复-1", extend)
    row.payload["applicant"] = person_create(acting_user=None, org_unit=personas.justice_bureau, name="甲").pk
    assert record_bulk_import(acting_user=officer, register="administrative_review", rows=[row]) == 1
    record = Record.objects.get(external_id="复-1")
    clock = RecordClock.objects.get(record=record, code="decision")
    assert (clock.base_due_on, clock.due_on, clock.extensions) == (D(2024, 5, 6), D(2024, 6, 5), 1)
    assert (clock.extension_reason, clock.extension_approver) == ("案情复杂", head)
    event = RecordEvent.objects.get(record=record, kind="extended")
    assert event.data["due_on"] == ["2024-05-06", "2024-06-05"] and event.note == "案情复杂"
    assert record_replay(record) == record_state(record)
    # 行政复议法 第六十二条 allows one extension: a second one rejects the row, and the batch with it.
    again = ImportClockStep("extend", "decision", D(2024, 6, 1), reason="仍需调查", length=10, approver=head)
    bad = _review_row(personas, "复-2", extend, again)
    bad.payload["applicant"] = row.payload["applicant"]
    good = _review_row(personas, "复-3")
    good.payload["applicant"] = row.payload["applicant"]
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=officer, register="administrative_review", rows=[good, bad])
    assert [(r.index, r.code) for r in err.value.rejected] == [(1, "extension_not_allowed")]
    assert not Record.objects.filter(external_id__in=["复-2", "复-3"]).exists()
    # The acceptance review stopped at 受理; an extension needs an approver with authority there; no such clock.
    for step, code in ((ImportClockStep("suspend", "acceptance_review", D(2024, 4, 1), reason="鉴定"),
                        "clock_not_running"),
                       (ImportClockStep("extend", "decision", D(2024, 4, 30), reason="案情复杂", length=30,
                                        approver=personas.outsider), CoreErrorCode.FORBIDDEN),
                       (ImportClockStep("resume", "hearing", D(2024, 4, 1)), "clock_unknown")):
        row = _review_row(personas, "复-4", step)
        row.payload["applicant"] = good.payload["applicant"]
        with pytest.raises(RecordImportError) as err:
            record_bulk_import(acting_user=officer, register="administrative_review", rows=[row])
        assert err.value.rejected[0].code == code
