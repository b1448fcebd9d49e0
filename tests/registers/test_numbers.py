"""Case numbers (编号) given from a register's number_pattern: per register, unit and year, unique under concurrency."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from pydantic import ValidationError

from fazhi.registers.definitions import RegisterDefinition
from fazhi.registers.errors import RecordError
from fazhi.registers.models import Record, RecordNumberCounter
from fazhi.registers.registry import register_definition
from fazhi.registers.services import ImportRow, record_bulk_import, record_create
from tests.personas import personas_build

POSTGRES = connection.vendor == "postgresql"
PAYLOAD = {"organization_type": "traffic", "dispute_type": "traffic", "summary": "剐蹭"}


def _create(user, unit, opened_on, external_id=""):
    return record_create(acting_user=user, register="people_mediation", org_unit=unit, external_id=external_id,
                         payload=dict(PAYLOAD), opened_on=opened_on)


def test_numbers_follow_the_pattern_per_unit_and_year(personas):
    p = personas
    first = _create(p.mediator, p.town, dt.date(2024, 3, 1))
    second = _create(p.mediator, p.town, dt.date(2024, 5, 1))
    street = _create(p.other_mediator, p.street, dt.date(2024, 5, 1))
    next_year = _create(p.mediator, p.town, dt.date(2025, 1, 2))
    assert [r.external_id for r in (first, second, street, next_year)] == [
        "（2024）哈达镇调字第0001号", "（2024）哈达镇调字第0002号", "（2024）新屯街道调字第0001号",
        "（2025）哈达镇调字第0001号"]
    assert RecordNumberCounter.objects.get(register="people_mediation", org_unit=p.town, year=2024).last == 2


def test_a_number_taken_by_an_import_is_skipped_and_a_typed_number_is_kept(personas):
    p = personas
    record_bulk_import(acting_user=p.mediator, register="people_mediation", rows=[
        ImportRow("（2024）哈达镇调字第0001号", p.town, dt.date(2024, 3, 1), dict(PAYLOAD))])
    assert _create(p.mediator, p.town, dt.date(2024, 3, 2)).external_id == "（2024）哈达镇调字第0002号"
    assert _create(p.mediator, p.town, dt.date(2024, 3, 2), external_id="旧-7").external_id == "旧-7"


def test_a_refused_record_uses_no_number(personas):
    p = personas
    with pytest.raises(RecordError):
        record_create(acting_user=p.mediator, register="people_mediation", org_unit=p.town, external_id="",
                      payload={**PAYLOAD, "summary": ""}, opened_on=dt.date(2024, 3, 1))
    assert _create(p.mediator, p.town, dt.date(2024, 3, 2)).external_id.endswith("第0001号")


def test_a_register_without_pattern_still_needs_a_typed_number(personas):
    review = register_definition("administrative_review")
    assert review.number_pattern is None
    assert register_definition("people_mediation").number_pattern == "（{year}）{unit}调字第{seq:04d}号"


@pytest.mark.parametrize("pattern", ["{year}-{unit}", "{year}-{seq}-{who}", "{seq:q}"])
def test_a_bad_pattern_is_refused_when_loading(pattern):
    base = register_definition("people_mediation").model_dump(by_alias=True)
    with pytest.raises(ValidationError, match="编号格式"):
        RegisterDefinition.model_validate({**base, "number_pattern": pattern})


@pytest.mark.skipif(not POSTGRES, reason="SQLite serialises writers; row locks matter on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creations_get_distinct_consecutive_numbers():
    personas = personas_build()
    start = threading.Barrier(12)
    outcomes: dict[int, str] = {}

    def clerk(n):
        try:
            start.wait()
            outcomes[n] = _create(personas.mediator, personas.town, dt.date(2024, 6, 3)).external_id
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            outcomes[n] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == [f"（2024）哈达镇调字第{i:04d}号" for i in range(1, 13)]
    assert Record.objects.count() == 12
