"""Rollups kept on write agree exactly with a rebuild from raw records, whatever the write sequence."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.registers.models import Record, RecordRollup
from fazhi.registers.registry import register_definition
from fazhi.registers.rollups import rollup_snapshot, rollups_rebuild
from fazhi.registers.services import (
    record_create,
    record_delete,
    record_move,
    record_transition,
    record_update,
)

from .driving import sample_value, transition_inputs

# The last four keep rollup fields (a yes/no, a number, an amount, a text).
REGISTERS = ["people_mediation", "legal_aid", "administrative_review", "resettlement", "public_interest_litigation",
             "business_commitment", "enforcement_case_review"]
UNITS = ["town", "town_office", "street", "justice_bureau"]

operation = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(REGISTERS), st.sampled_from(UNITS), st.integers(0, 400)),
    st.tuples(st.just("transition"), st.integers(0, 50), st.integers(0, 20), st.integers(0, 60)),
    st.tuples(st.just("category"), st.integers(0, 50), st.integers(0, 20), st.integers(0, 1000)),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(UNITS), st.integers(0, 1)),
    st.tuples(st.just("delete"), st.integers(0, 50), st.integers(0, 1), st.integers(0, 1)),
)


def _apply(personas, op, serial):
    kind = op[0]
    records = list(Record.objects.order_by("pk"))
    if kind == "create":
        _, register, unit_name, days = op
        definition = register_definition(register)
        unit = getattr(personas, unit_name)
        day = dt.date(2023, 12, 1) + dt.timedelta(days=days)
        payload = {f.code: sample_value(f, unit=unit, on_date=day) for f in definition.fields if f.required}
        record_create(acting_user=None, register=register, org_unit=unit, external_id=f"RU-{serial}", payload=payload,
                      opened_on=day)
        return
    if not records:
        return
    record = records[op[1] % len(records)]
    definition = register_definition(record.register)
    if kind == "transition":
        t = definition.transitions[op[2] % len(definition.transitions)]
        if record.status not in t.from_:
            return
        day = record.opened_on + dt.timedelta(days=op[3])
        record_transition(acting_user=None, record=record, transition=t.code, on_date=day,
                          **transition_inputs(definition, t, unit=record.org_unit, on_date=day))
    elif kind == "category":
        category_field = definition.column_field("category")
        choices = list(category_field.choices)
        amount_field = definition.column_field("amount")
        changes = {category_field.code: choices[op[2] % len(choices)]}
        if amount_field is not None:
            changes[amount_field.code] = str(Decimal(op[3]) / 4)
        for code in [*definition.rollup_dimensions, *definition.rollup_fields]:
            field = definition.field(code)
            changes[code] = {
                "bool": lambda: op[3] % 2 == 0,
                "choice": lambda f=field: list(f.choices)[op[3] % len(f.choices)],
                "int": lambda: op[3] % 7,
                "money": lambda: str(Decimal(op[3]) / 4),
                "text": lambda: f"评查人{op[3] % 3}",
            }[str(field.type)]()
        record_update(acting_user=None, record=record, changes=changes)
    elif kind == "move":
        record_move(acting_user=None, record=record, org_unit=getattr(personas, op[2]))
    elif kind == "delete":
        record_delete(acting_user=None, record=record, reason="录入错误")


def test_rebuild_equals_incremental_after_random_writes(personas):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(operation, min_size=1, max_size=25))
    def check(ops):
        sid = transaction.savepoint()
        try:
            for i, op in enumerate(ops):
                _apply(personas, op, i)
            incremental = rollup_snapshot()
            assert all(count > 0 for count, _ in incremental.values())  # no empty rows left behind
            rollups_rebuild()
            assert rollup_snapshot() == incremental
        finally:
            transaction.savepoint_rollback(sid)

    check()


def test_rollup_counts_follow_a_record_through_its_life(personas):
    definition = register_definition("people_mediation")
    payload = {f.code: sample_value(f, unit=personas.town, on_date=dt.date(2024, 1, 30)) for f in definition.fields
               if f.required}
    payload.update(dispute_type="labour", subsidy="300")
    record = record_create(acting_user=None, register="people_mediation", org_unit=personas.town, external_id="R-1",
                           payload=payload, opened_on=dt.date(2024, 1, 30))
    record_transition(acting_user=None, record=record, transition="conclude", on_date=dt.date(2024, 2, 2),
                      outcome="success", fields={"mediator_name": "甲"})
    rows = {(r.basis, r.month, r.status, r.outcome, r.dim1): (r.count, r.amount) for r in RecordRollup.objects.all()}
    assert rows == {
        ("opened", dt.date(2024, 1, 1), "concluded", "success", "labour"): (1, Decimal("300.00")),
        ("closed", dt.date(2024, 2, 1), "concluded", "success", "labour"): (1, Decimal("300.00")),
    }


def test_rollups_command_verifies_and_rebuilds(personas, capsys):
    test_rollup_counts_follow_a_record_through_its_life(personas)
    call_command("rollups", "verify")
    assert "一致" in capsys.readouterr().out
    RecordRollup.objects.all().delete()
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rollups", "verify")
    call_command("rollups", "rebuild")
    call_command("rollups", "verify")
