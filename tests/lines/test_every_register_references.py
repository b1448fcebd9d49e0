"""Every reference field (person, org unit, market entity) of every register, wherever it can be written —
at registration, by a correction, by each step that asks for it: an object of 西市区 named by a 东洲区
officer is refused with reference_out_of_jurisdiction naming the field, with the same answer as an id that
names nothing; an object of 东洲区 is accepted. The officer holds every role the register names, over
东洲区 (as in test_every_register_access.py)."""

import pytest
from django.contrib.auth import get_user_model

from fazhi.core.identity import credit_code_check_digit
from fazhi.core.models import Entity, OrgUnit, Person, Role
from fazhi.core.services import entity_create, membership_grant, person_create
from fazhi.registers.definitions import FieldType
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition, register_definitions
from fazhi.registers.services import record_transition, record_update
from tests.registers.driving import create_sample, drive_to, step_date, transition_inputs

from .support import DAY, NEW_ROLES

REFERENCE_TYPES = (FieldType.PERSON, FieldType.ORG_UNIT, FieldType.ENTITY)


def _cases() -> list[tuple[str, str, str]]:
    """(register, field, where it is written): "create", "update" or the code of a step requiring it."""
    cases = []
    for definition in sorted(register_definitions(), key=lambda d: d.code):
        for field in definition.fields:
            if field.type not in REFERENCE_TYPES:
                continue
            cases += [(definition.code, field.code, "create"), (definition.code, field.code, "update")]
            cases += [(definition.code, field.code, t.code) for t in definition.transitions if field.code in t.requires]
    return cases


CASES = _cases()


def test_the_registers_have_reference_fields_of_every_type():
    """The parametrization below is not empty by accident: the shipped registers name people, units and
    entities, and some step asks for a reference."""
    types = {register_definition(r).field(f).type for r, f, _ in CASES}
    assert types == set(REFERENCE_TYPES)
    assert any(where not in ("create", "update") for _, _, where in CASES)


def _officer(personas, register: str):
    definition = register_definition(register)
    roles = set(definition.create_roles) | set(definition.editors) | {r for t in definition.transitions for r in t.roles}
    user = get_user_model().objects.create_user(username=f"officer_{register}", password="pw", is_staff=True)
    for code in sorted(roles):
        role, _ = Role.objects.get_or_create(code=code, defaults={"name": NEW_ROLES.get(code, code)})
        membership_grant(acting_user=None, user=user, role=role, org_unit=personas.district)
    return user


def _object_in(field_type: FieldType, unit: OrgUnit, serial: int) -> int:
    if field_type == FieldType.PERSON:
        return person_create(acting_user=None, org_unit=unit, name="引用测试人").pk
    if field_type == FieldType.ENTITY:
        first17 = f"91{unit.pk:06d}MA{serial:07d}"
        return entity_create(acting_user=None, org_unit=unit, name=f"引用测试企业{serial}",
                             credit_code=first17 + credit_code_check_digit(first17)).pk
    return unit.pk


def _missing(field_type: FieldType) -> int:
    model = {FieldType.PERSON: Person, FieldType.ENTITY: Entity, FieldType.ORG_UNIT: OrgUnit}[field_type]
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


@pytest.mark.parametrize(("register", "field", "where"), CASES, ids=["-".join(c) for c in CASES])
def test_a_reference_outside_the_jurisdiction_is_refused_naming_the_field(personas, register, field, where):
    definition = register_definition(register)
    field_type = definition.field(field).type
    user = _officer(personas, register)
    unit = personas.town
    if where == "create":
        def write(pk):
            return create_sample(definition, user=user, unit=unit, opened_on=DAY, payload={field: pk})
    else:
        record = create_sample(definition, user=user, unit=unit, opened_on=DAY)
        if where == "update":
            def write(pk):
                return record_update(acting_user=user, record=record, changes={field: pk})
        else:
            t = definition.transition(where)
            record = drive_to(definition, record, t.from_[0], user=user, on_date=DAY)
            day = step_date(definition, record, t, DAY)

            def write(pk):
                inputs = transition_inputs(definition, t, unit=unit, on_date=day)
                inputs["fields"][field] = pk
                return record_transition(acting_user=user, record=record, transition=t.code, on_date=day, **inputs)
    state = sorted(Record.objects.values_list("pk", "status", "payload"))
    outside = _object_in(field_type, personas.other_street, 1)
    messages = []
    for pk in (outside, _missing(field_type)):
        with pytest.raises(RecordError) as err:
            write(pk)
        assert (err.value.code, err.value.field) == (RecordErrorCode.REFERENCE_OUT_OF_JURISDICTION, field)
        messages.append(err.value.message)
    assert messages[0] == messages[1]  # forbidden and missing get the same answer
    assert sorted(Record.objects.values_list("pk", "status", "payload")) == state  # nothing written
    inside = _object_in(field_type, personas.street if field_type == FieldType.ORG_UNIT else unit, 2)
    written = write(inside)
    assert written.payload[field] == inside
