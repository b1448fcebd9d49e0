"""Status, outcome and closing-date columns: the importer derives the register's transitions from them."""

import datetime as dt

from fazhi.imports.models import BatchMode
from fazhi.imports.services import import_run, register_export
from fazhi.registers.models import Record, RecordClock, RecordEvent
from fazhi.registers.rollups import rollup_snapshot, rollups_rebuild
from tests.imports.helpers import MEDIATION_HEADERS, mediation_row, xlsx

HEADERS = [*MEDIATION_HEADERS, "状态", "结果", "办结日期"]
PM = "people_mediation"


def run(user, content, filename="f.xlsx", **kw):
    return import_run(acting_user=user, register=PM, content=content, filename=filename, **kw)


def test_new_rows_reach_their_status_through_the_transitions(personas):
    rows = [mediation_row(1, 状态="已受理"), mediation_row(2, 状态="调解中"),
            mediation_row(3, 状态="已结案", 结果="成功", 办结日期="2024-03-20"),
            mediation_row(4, 状态="已结案", 结果="调解成功"),  # no closing date
            mediation_row(5, 状态="调解中", 办结日期="2024-03-20"),  # not concluded: no closing date
            mediation_row(6, 状态="外星状态"),
            mediation_row(7, 状态="已结案", 结果="调解成功", 办结日期="2024-03-01")]  # before 受理日期
    result = run(personas.mediator, xlsx(rows, HEADERS), mode=BatchMode.KEEP_REJECTED)
    assert (result.accepted, result.rejected) == (3, 4), result.errors
    assert [(e.row, e.code) for e in result.errors] == [(5, "value_required"), (6, "value_invalid"),
                                                        (7, "value_invalid"), (8, "date_invalid")]
    concluded = Record.objects.get(external_id="TJ-3")
    assert (concluded.status, concluded.outcome, concluded.closed_on) == ("concluded", "success", dt.date(2024, 3, 20))
    assert list(RecordEvent.objects.filter(record=concluded).values_list("transition", flat=True)) == ["", "conclude"]
    assert RecordClock.objects.get(record=concluded).stopped_on == dt.date(2024, 3, 20)
    assert Record.objects.get(external_id="TJ-2").status == "mediating"
    incremental = rollup_snapshot()
    rollups_rebuild()
    assert rollup_snapshot() == incremental


def test_a_changed_status_is_a_transition_of_the_stored_record(personas):
    assert run(personas.mediator, xlsx([mediation_row(1, 状态="调解中")], HEADERS)).accepted == 1
    later = run(personas.mediator, xlsx([mediation_row(1, 状态="已结案", 结果="调解不成功", 办结日期="2024-04-01")],
                                        HEADERS))
    assert later.updated == 1, later.errors
    record = Record.objects.get()
    assert (record.status, record.outcome) == ("concluded", "failure")
    event = RecordEvent.objects.filter(record=record, transition="conclude").get()
    assert f"导入批次 #{later.batch}" in event.note
    # a concluded record keeps its outcome: changing it takes a reopening with a reason
    other = run(personas.mediator, xlsx([mediation_row(1, 状态="已结案", 结果="调解成功", 办结日期="2024-04-01")],
                                        HEADERS))
    assert [e.code for e in other.errors] == ["state_unreachable"]
    back = run(personas.mediator, xlsx([mediation_row(1, 状态="已受理")], HEADERS))
    assert [e.code for e in back.errors] == ["state_unreachable"]  # no step leads back without a reason


def test_export_import_into_an_empty_database_export_again_is_byte_identical(personas):
    rows = [mediation_row(1, 状态="调解中"), mediation_row(2, 状态="已结案", 结果="成功", 办结日期="2024-03-20"),
            mediation_row(3, 状态="已受理", 调解员=None)]
    assert run(None, xlsx(rows, HEADERS)).accepted == 3
    for fmt in ("csv", "xlsx"):
        first = register_export(acting_user=None, register=PM, fmt=fmt)
        Record.objects.all().delete()
        assert run(None, first, f"e.{fmt}").accepted == 3
        again = register_export(acting_user=None, register=PM, fmt=fmt)
        if fmt == "csv":
            assert again == first
        else:
            import io

            from openpyxl import load_workbook
            values = [[c.value for c in r] for r in load_workbook(io.BytesIO(first)).active.iter_rows()]
            assert [[c.value for c in r] for r in load_workbook(io.BytesIO(again)).active.iter_rows()] == values
        assert run(None, again, f"e.{fmt}").unchanged == 3
