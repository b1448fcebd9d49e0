"""References in payloads are resolved through the acting user's jurisdiction (registers/payloads.py,
ReferenceScope): a person only from a unit the user reads, a market entity from the user's districts, a
unit from the list the forms offer. record_register registers new parties and the record all or nothing.
Every register's every reference field: tests/lines/test_every_register_references.py."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fazhi.core.identity import credit_code_check_digit
from fazhi.core.models import AuditEvent, Entity, Person
from fazhi.core.services import entity_create, person_create
from fazhi.registers.definitions import FieldType
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.registers.services import (
    EntityByCreditCode,
    ImportRow,
    ImportStep,
    NewPerson,
    RecordImportError,
    record_bulk_import,
    record_create,
    record_register,
    record_update,
)
from tests.registers.driving import sample_value

D = dt.date(2024, 5, 6)
OUTSIDE = RecordErrorCode.REFERENCE_OUT_OF_JURISDICTION
MEDIATION = {"organization_type": "village", "dispute_type": "neighbourhood", "summary": "邻里纠纷"}


def _entity(unit, serial: int) -> Entity:
    first17 = f"9121{unit.pk:04d}MA{serial:07d}"
    return entity_create(acting_user=None, org_unit=unit, name=f"测试企业{serial}",
                         credit_code=first17 + credit_code_check_digit(first17))


def _payload(register: str, unit, **extra) -> dict:
    """The register's required fields, without its person fields (given as parties or in `extra`)."""
    definition = register_definition(register)
    data = {f.code: sample_value(f, unit=unit, on_date=D) for f in definition.fields
            if f.required and f.type != FieldType.PERSON}
    return {**data, **extra}


def _mediation(user, unit, external_id="TJ-1", **payload):
    return record_create(acting_user=user, register="people_mediation", org_unit=unit, external_id=external_id,
                         payload={**MEDIATION, **payload}, opened_on=D)


def _refused(call, field: str) -> RecordError:
    with pytest.raises(RecordError) as err:
        call()
    assert (err.value.code, err.value.field) == (OUTSIDE, field)
    return err.value


def test_a_town_mediator_names_parties_of_the_town_only(personas):
    """哈达镇's mediator reads 哈达镇 and its 司法所, not 新屯街道 (another town of the same district), and
    not 西市区: a record shows its parties, so naming a person of another unit would show them to 哈达镇."""
    own = person_create(acting_user=None, org_unit=personas.town, name="甲")
    office = person_create(acting_user=None, org_unit=personas.town_office, name="乙")
    street = person_create(acting_user=None, org_unit=personas.street, name="丙")
    west = person_create(acting_user=None, org_unit=personas.other_street, name="丁")
    assert _mediation(personas.mediator, personas.town, "TJ-1", party=own.pk).payload["party"] == own.pk
    assert _mediation(personas.mediator, personas.town, "TJ-2", party=office.pk).payload["party"] == office.pk
    answers = {_refused(lambda pk=pk: _mediation(personas.mediator, personas.town, "TJ-3", party=pk), "party").message
               for pk in (street.pk, west.pk, 10**9)}
    assert len(answers) == 1 and "管辖范围" in answers.pop()  # one answer, whether forbidden or missing
    assert not Record.objects.filter(external_id="TJ-3").exists()
    # The district's administrator reads the whole district: 新屯街道's person is fine for a 哈达镇 case.
    assert _mediation(personas.district_admin, personas.town, "TJ-4", party=street.pk).payload["party"] == street.pk


def test_market_entities_and_units_are_named_across_the_district_but_not_beyond(personas):
    """A town's 项目管家 serves the entities the district's 营商局 registered: entities and units may be named
    anywhere in the user's districts (access.units_to_name), never in another district."""
    district_entity, west_entity = _entity(personas.justice_bureau, 1), _entity(personas.other_street, 2)
    services = _payload("business_manager_services", personas.town)
    record = record_create(acting_user=personas.town_clerk, register="business_manager_services",
                           org_unit=personas.town, external_id="FW-1",
                           payload={**services, "entity": district_entity.pk})
    assert record.payload["entity"] == district_entity.pk
    _refused(lambda: record_create(acting_user=personas.town_clerk, register="business_manager_services",
                                   org_unit=personas.town, external_id="FW-2",
                                   payload={**services, "entity": west_entity.pk}), "entity")
    matches = _payload("business_manager_matches", personas.town, entity=district_entity.pk)
    record = record_create(acting_user=personas.town_clerk, register="business_manager_matches",
                           org_unit=personas.town, external_id="PP-1",
                           payload={**matches, "manager_unit": personas.street.pk})
    assert record.payload["manager_unit"] == personas.street.pk
    _refused(lambda: record_create(acting_user=personas.town_clerk, register="business_manager_matches",
                                   org_unit=personas.town, external_id="PP-2",
                                   payload={**matches, "manager_unit": personas.other_district.pk}), "manager_unit")


def test_batch_jobs_may_name_any_existing_object_but_not_a_missing_one(personas):
    west = person_create(acting_user=None, org_unit=personas.other_street, name="丁")
    assert _mediation(None, personas.town, "TJ-1", party=west.pk).payload["party"] == west.pk
    _refused(lambda: _mediation(None, personas.town, "TJ-2", party=10**9), "party")


def test_a_correction_rechecks_only_the_references_it_changes(personas):
    """The district registered a 哈达镇 case naming a 新屯街道 party; 哈达镇's mediator may still correct
    the summary (the form sends the party unchanged) but may not name another 新屯街道 person."""
    street = person_create(acting_user=None, org_unit=personas.street, name="丙")
    other = person_create(acting_user=None, org_unit=personas.street, name="戊")
    record = _mediation(personas.district_admin, personas.town, party=street.pk)
    record = record_update(acting_user=personas.mediator, record=record, changes={"summary": "改", "party": street.pk})
    assert (record.payload["summary"], record.payload["party"]) == ("改", street.pk)
    _refused(lambda: record_update(acting_user=personas.mediator, record=record, changes={"party": other.pk}), "party")
    record.refresh_from_db()
    assert record.payload["party"] == street.pk


def _import_rows(personas, people):
    return [ImportRow(f"B-{i}", personas.town, D, {**MEDIATION, "party": pk}, steps=[
        ImportStep("start", D), ImportStep("conclude", D, fields={"mediator_name": "甲"}, outcome="success")])
        for i, pk in enumerate(people)]


def test_bulk_import_refuses_each_row_naming_an_outside_reference_and_writes_nothing(personas):
    own = [p.pk for p in [person_create(acting_user=None, org_unit=personas.town, name=f"甲{i}") for i in range(3)]]
    west = person_create(acting_user=None, org_unit=personas.other_street, name="丁").pk
    rows = _import_rows(personas, [own[0], west, own[1], 10**9, own[2]])
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=personas.mediator, register="people_mediation", rows=rows)
    assert [(r.index, r.code) for r in err.value.rejected] == [(1, OUTSIDE), (3, OUTSIDE)]
    assert err.value.rejected[0].message == err.value.rejected[1].message
    assert not Record.objects.exists()
    assert record_bulk_import(acting_user=personas.mediator, register="people_mediation",
                              rows=_import_rows(personas, own)) == 3


def test_bulk_import_checks_references_set_by_steps(personas):
    entity = _entity(personas.town, 1)
    base = _payload("business_manager_matches", personas.town, entity=entity.pk)
    fields = {"manager_name": "王伟", "manager_code": "GJ1", "matched_on": D}
    rows = [ImportRow(f"PP-{i}", personas.town, D, dict(base),
                      steps=[ImportStep("match", D, fields={**fields, "manager_unit": unit.pk})])
            for i, unit in enumerate([personas.street, personas.other_street])]
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=personas.town_clerk, register="business_manager_matches", rows=rows)
    assert [(r.index, r.code) for r in err.value.rejected] == [(1, OUTSIDE)]


def _reference_queries(captured) -> dict[str, int]:
    """How many statements read each referenced table."""
    tables = {"person": '"core_person"', "entity": '"core_entity"'}
    return {name: sum(1 for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
                      and f"FROM {table}" in q["sql"]) for name, table in tables.items()}


@pytest.mark.parametrize("size", [3, 40])
def test_bulk_import_looks_references_up_once_per_type_not_per_row(personas, size):
    people = [p.pk for p in [person_create(acting_user=None, org_unit=personas.town, name=f"甲{i}")
                             for i in range(size)]]
    with CaptureQueriesContext(connection) as captured:
        assert record_bulk_import(acting_user=personas.mediator, register="people_mediation",
                                  rows=_import_rows(personas, people)) == size
    assert _reference_queries(captured) == {"person": 1, "entity": 0}


def test_record_register_creates_the_parties_with_the_record_and_their_audit_rows(personas):
    record = record_register(acting_user=personas.town_clerk, register="notarizations", org_unit=personas.town,
                             external_id="GZ-1", payload=_payload("notarizations", personas.town),
                             parties={"applicant": NewPerson(name="钱七", id_number="11010519491231002X")})
    person = Person.objects.get(pk=record.payload["applicant"])
    assert (person.name, person.org_unit) == ("钱七", personas.town)
    audit = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    assert audit.actor == personas.town_clerk and "11010519491231002X" not in str(audit.diff)
    assert AuditEvent.objects.filter(object_type="registers.record", object_id=str(record.pk)).count() == 1


@pytest.mark.parametrize("why", ["reference", "duplicate", "required"])
def test_record_register_is_all_or_nothing(personas, why):
    """A record refused after its party was registered leaves no person behind, nor their audit row."""
    record_register(acting_user=personas.town_clerk, register="notarizations", org_unit=personas.town,
                    external_id="GZ-1", payload=_payload("notarizations", personas.town),
                    parties={"applicant": NewPerson(name="甲")})
    before = (Person.objects.count(), Entity.objects.count(), Record.objects.count(), AuditEvent.objects.count())
    payload = _payload("notarizations", personas.town)
    external_id, expected = "GZ-2", (OUTSIDE, "service_point")
    if why == "reference":  # a service point of 西市区
        payload["service_point"] = personas.other_street.pk
    elif why == "duplicate":
        external_id, expected = "GZ-1", (RecordErrorCode.DUPLICATE_EXTERNAL_ID, "external_id")
    else:
        required = next(f.code for f in register_definition("notarizations").fields
                        if f.required and f.type != FieldType.PERSON)
        payload[required], expected = None, (RecordErrorCode.FIELD_REQUIRED, required)
    with pytest.raises(RecordError) as err:
        record_register(acting_user=personas.town_clerk, register="notarizations", org_unit=personas.town,
                        external_id=external_id, payload=payload,
                        parties={"applicant": NewPerson(name="钱七", id_number="11010519491231002X")})
    assert (err.value.code, err.value.field) == expected
    assert (Person.objects.count(), Entity.objects.count(), Record.objects.count(),
            AuditEvent.objects.count()) == before


def test_record_register_refuses_an_entity_of_another_district_found_by_its_credit_code(personas):
    west = _entity(personas.other_street, 7)
    persons = Person.objects.count()
    _refused(lambda: record_register(
        acting_user=personas.town_clerk, register="business_manager_services", org_unit=personas.town,
        external_id="FW-1", payload=_payload("business_manager_services", personas.town, entity=None),
        parties={"entity": EntityByCreditCode(credit_code=west.credit_code)}), "entity")
    assert not Record.objects.exists() and Person.objects.count() == persons


def test_record_register_refuses_a_party_of_the_wrong_kind_or_field(personas):
    with pytest.raises(RecordError) as err:
        record_register(acting_user=personas.town_clerk, register="notarizations", org_unit=personas.town,
                        external_id="GZ-1", payload=_payload("notarizations", personas.town),
                        parties={"applicant": EntityByCreditCode(credit_code="x")})
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_INVALID, "applicant")
    with pytest.raises(RecordError) as err:
        record_register(acting_user=personas.town_clerk, register="notarizations", org_unit=personas.town,
                        external_id="GZ-1", payload=_payload("notarizations", personas.town),
                        parties={"colour": NewPerson(name="甲")})
    assert (err.value.code, err.value.field) == (RecordErrorCode.UNKNOWN_FIELD, "colour")
    assert not Person.objects.exists()


def test_record_register_is_its_own_transaction(personas):
    """Durable: it commits what it registers, so it cannot run inside someone else's transaction."""
    with transaction.atomic(), pytest.raises(RuntimeError):
        record_register(acting_user=personas.town_clerk, register="notarizations", org_unit=personas.town,
                        external_id="GZ-1", payload=_payload("notarizations", personas.town),
                        parties={"applicant": NewPerson(name="甲")})


def test_a_step_registers_its_parties_with_it_or_not_at_all(personas):
    from fazhi.registers.services import record_transition

    record = _mediation(personas.mediator, personas.town)
    people = Person.objects.count()
    with pytest.raises(RecordError) as err:  # 开始调解 takes no outcome: the step is refused after the party
        record_transition(acting_user=personas.mediator, record=record, transition="start", on_date=D,
                          outcome="success", parties={"party": NewPerson(name="甲")})
    assert err.value.code == RecordErrorCode.OUTCOME_INVALID
    assert Person.objects.count() == people
    record = record_transition(acting_user=personas.mediator, record=record, transition="start", on_date=D,
                               parties={"party": NewPerson(name="甲")})
    assert Person.objects.get(pk=record.payload["party"]).org_unit == personas.town
