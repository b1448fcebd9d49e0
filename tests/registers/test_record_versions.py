"""Lost updates on records: every write moves the record's version on; an edit read at an older version is
refused with record_conflict and writes nothing."""

import datetime as dt

import pytest

from fazhi.registers.errors import RecordConflict, RecordErrorCode
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.registers.services import record_delete, record_move, record_transition, record_update
from tests.registers.driving import create_sample

D = dt.date(2025, 6, 3)


@pytest.fixture
def record(personas):
    return create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                         opened_on=D)


def test_every_write_moves_the_version_on(personas, record):
    assert record.version == 0
    record = record_update(acting_user=personas.mediator, record=record, changes={"mediator_name": "甲"}, version=0)
    assert record.version == 1
    # A save that changes nothing is no new version.
    record = record_update(acting_user=personas.mediator, record=record, changes={"mediator_name": "甲"}, version=1)
    assert record.version == 1
    record = record_transition(acting_user=personas.mediator, record=record, transition="start", on_date=D,
                               version=1)
    assert Record.objects.get(pk=record.pk).version == 2
    record = record_move(acting_user=personas.district_admin, record=record, org_unit=personas.street, version=2)
    assert Record.objects.get(pk=record.pk).version == 3


def test_two_personas_edit_the_same_record_the_second_save_is_refused(personas, record):
    read_at = Record.objects.get(pk=record.pk).version  # both open the record at this version
    record_update(acting_user=personas.district_admin, record=record, changes={"mediator_name": "管理员改"},
                  version=read_at)
    with pytest.raises(RecordConflict) as caught:
        record_update(acting_user=personas.mediator, record=record, changes={"mediator_name": "调解员改"},
                      version=read_at)
    assert caught.value.code == RecordErrorCode.RECORD_CONFLICT
    assert caught.value.field == "version" and caught.value.http_status == 409
    assert caught.value.current_version == read_at + 1
    assert caught.value.current["payload.mediator_name"] == "管理员改"
    stored = Record.objects.get(pk=record.pk)
    assert stored.payload["mediator_name"] == "管理员改" and stored.version == read_at + 1
    assert stored.events.filter(kind="updated").count() == 1  # the refused save left no event


@pytest.mark.parametrize("step", ["transition", "move", "delete"])
def test_transition_move_and_delete_refuse_a_stale_version(personas, record, step):
    record_update(acting_user=personas.district_admin, record=record, changes={"mediator_name": "新"}, version=0)
    with pytest.raises(RecordConflict):
        if step == "transition":
            record_transition(acting_user=personas.mediator, record=record, transition="start", on_date=D, version=0)
        elif step == "move":
            record_move(acting_user=personas.district_admin, record=record, org_unit=personas.street, version=0)
        else:
            record_delete(acting_user=personas.district_admin, record=record, reason="重复", version=0)
    stored = Record.objects.get(pk=record.pk)
    assert (stored.status, stored.org_unit_id, stored.version) == ("registered", personas.town.pk, 1)


def test_without_a_version_the_save_wins(personas, record):
    """Imports and command-line jobs pass none: no check, the version still moves on."""
    record_update(acting_user=personas.district_admin, record=record, changes={"mediator_name": "一"})
    record = record_update(acting_user=None, record=record, changes={"mediator_name": "二"})
    assert (record.payload["mediator_name"], record.version) == ("二", 2)
