"""Rollup maintenance: the write side keeps RecordRollup in step with records, in the same transaction.

A record contributes one row-key to the `opened` basis (month of opened_on) and, once closed, one
to the `closed` basis (month of closed_on) — and, for each of its register's `rollup_fields` that has a
value, the same keys with that field and value (amount: the field's number). A write removes the
record's old contributions and adds its new ones; only the net change touches the table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction

from .definitions import RegisterDefinition
from .models import Record, RecordRollup, RollupBasis
from .registry import register_definition, register_definitions


class RollupKey(NamedTuple):
    register: str
    basis: str
    org_unit_id: int
    month: dt.date
    status: str
    outcome: str
    category: str
    dim1: str
    dim2: str
    field: str = ""  # '' for the record itself; else one of the register's rollup_fields …
    value: str = ""  # … and its value, as dimension_value() writes it


Contribution = tuple[RollupKey, Decimal]


def dimension_value(value: Any) -> str:
    """The text stored for a dimension value, the same whichever database read it from JSON.

    Dimensions are choice codes (which start with a letter) or booleans; SQLite reads JSON
    booleans back as 1/0, PostgreSQL as 'true'/'false'.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return {"1": "true", "0": "false", "True": "true", "False": "false"}.get(text, text)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _number(value: Any) -> Decimal:
    """A rollup field's number (its amount), 0 for text and anything that is not a number."""
    if isinstance(value, bool) or value is None:
        return Decimal(0)
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        return Decimal(0)


def rollup_contributions(record: Record, definition: RegisterDefinition | None = None) -> list[Contribution]:
    if record.pk is None or record.opened_on is None:
        return []
    definition = definition or register_definition(record.register)
    dims = [dimension_value(record.payload.get(code)) for code in definition.rollup_dimensions]
    dims += [""] * (2 - len(dims))
    amount = Decimal(record.amount) if record.amount is not None else Decimal(0)
    common = (record.org_unit_id,)
    keys = [RollupKey(record.register, RollupBasis.OPENED, *common, _month(record.opened_on), record.status,
                      record.outcome or "", record.category or "", dims[0], dims[1])]
    if record.closed_on is not None:
        keys.append(RollupKey(record.register, RollupBasis.CLOSED, *common, _month(record.closed_on), record.status,
                              record.outcome or "", record.category or "", dims[0], dims[1]))
    out = [(key, amount) for key in keys]
    for code in definition.rollup_fields:
        value = record.payload.get(code)
        rollup_field = definition.field(code)
        assert rollup_field is not None  # rollup_fields name defined fields (checked when loading)
        kind = str(rollup_field.type)
        # as dimension_sql reads it back: booleans as true/false, anything else as its JSON text
        text = dimension_value(value) if kind == "bool" else ("" if value is None else str(value))
        if text:
            number = _number(value) if kind in ("int", "decimal", "money") else Decimal(0)
            out += [(key._replace(field=code, value=text[:200]), number) for key in keys]
    return out


_UPSERT = """
INSERT INTO registers_recordrollup
    (register, basis, org_unit_id, month, status, outcome, category, dim1, dim2, field, value, count, amount)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (register, org_unit_id, month, basis, status, outcome, category, dim1, dim2, field, value)
DO UPDATE SET count = registers_recordrollup.count + excluded.count,
              amount = registers_recordrollup.amount + excluded.amount
"""

_DELETE_EMPTY = """
DELETE FROM registers_recordrollup
WHERE register = %s AND basis = %s AND org_unit_id = %s AND month = %s AND status = %s AND outcome = %s
  AND category = %s AND dim1 = %s AND dim2 = %s AND field = %s AND value = %s AND count = 0
"""


def rollup_apply(*, before: Iterable[Contribution], after: Iterable[Contribution]) -> None:
    """Apply the net change from `before` to `after`. Call inside the write's transaction."""
    delta: dict[RollupKey, list[int | Decimal]] = defaultdict(lambda: [0, Decimal(0)])
    for key, amount in before:
        delta[key][0] -= 1
        delta[key][1] -= amount
    for key, amount in after:
        delta[key][0] += 1
        delta[key][1] += amount
    changes = [(key, n, amt) for key, (n, amt) in delta.items() if n or amt]
    if not changes:
        return
    with connection.cursor() as cursor:
        if len(changes) == 1:
            key, n, amt = changes[0]
            cursor.execute(_UPSERT, [*key, n, amt])
            if n < 0:
                cursor.execute(_DELETE_EMPTY, list(key))
            return
        # A batch (an import, the demo): one executemany (psycopg pipelines it), then the rows left empty.
        rows: list[list[Any]] = [[*key, n, amt] for key, n, amt in changes]
        cursor.executemany(_UPSERT, rows)
        emptied: list[list[Any]] = [list(key) for key, n, _ in changes if n < 0]
        if emptied:
            cursor.executemany(_DELETE_EMPTY, emptied)


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"strftime('%%Y-%%m-01', {column})"


def dimension_sql(definition: RegisterDefinition, code: str) -> tuple[str, list[str]]:
    """SQL giving the text `dimension_value` stores for a payload field (choice codes as text, JSON
    booleans as 'true'/'false', missing as '')."""
    field = definition.field(code)
    if connection.vendor == "postgresql":
        return "COALESCE(payload ->> %s, '')", [code]
    path = f"$.{code}"
    if field is not None and str(field.type) == "bool":
        return ("(CASE json_type(payload, %s) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
                "ELSE COALESCE(json_extract(payload, %s), '') END)", [path, path])
    return "COALESCE(json_extract(payload, %s), '')", [path]


def number_sql(code: str) -> tuple[str, list[str]]:
    """SQL giving a number payload field as a number (NULL when missing), e.g. for sum(field=…)."""
    if connection.vendor == "postgresql":
        return "CAST(NULLIF(payload ->> %s, '') AS numeric)", [code]
    return "json_extract(payload, %s)", [f"$.{code}"]


def rollups_rebuild(*, registers: list[str] | None = None) -> int:
    """Recompute the rollups from raw records: one INSERT … SELECT … GROUP BY per register and basis,
    month and dimensions computed in SQL (an ORM version was 4–8× slower: docs/benchmarks.md)."""
    definitions = [d for d in register_definitions() if registers is None or d.code in registers]
    if not definitions:
        return 0
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        codes = [d.code for d in definitions]
        cursor.execute(f"DELETE FROM registers_recordrollup WHERE register IN ({', '.join(['%s'] * len(codes))})",
                       codes)
        for definition in definitions:
            dims = [dimension_sql(definition, code) for code in definition.rollup_dimensions]
            dims += [("''", [])] * (2 - len(dims))
            # GROUP BY positions: register, org unit, month, status, outcome, category, the real dimensions.
            group = ["1", "3", "4", "5", "6", "7"] + [str(8 + i) for i in range(len(definition.rollup_dimensions))]
            for basis, column in ((RollupBasis.OPENED, "opened_on"), (RollupBasis.CLOSED, "closed_on")):
                cursor.execute(
                    "INSERT INTO registers_recordrollup (register, basis, org_unit_id, month, status, outcome, "
                    "category, dim1, dim2, field, value, count, amount) "
                    f"SELECT register, %s, org_unit_id, {_month_sql(column)}, status, outcome, category, "
                    f"{dims[0][0]}, {dims[1][0]}, '', '', COUNT(*), ROUND(COALESCE(SUM(amount), 0), 2) "
                    f"FROM registers_record WHERE register = %s AND {column} IS NOT NULL GROUP BY {', '.join(group)}",
                    [str(basis), *dims[0][1], *dims[1][1], definition.code],
                )
                total += cursor.rowcount
                for code in definition.rollup_fields:  # one row per value of each rollup field
                    value_sql, value_params = dimension_sql(definition, code)
                    rollup_field = definition.field(code)
                    assert rollup_field is not None  # rollup_fields name defined fields (checked when loading)
                    if str(rollup_field.type) in ("int", "decimal", "money"):
                        number, number_params = number_sql(code)
                        amount = f"ROUND(COALESCE(SUM({number}), 0), 2)"
                    else:
                        amount, number_params = "0", []
                    value_group = ", ".join([*group, "11"])  # … and the value
                    cursor.execute(
                        "INSERT INTO registers_recordrollup (register, basis, org_unit_id, month, status, outcome, "
                        "category, dim1, dim2, field, value, count, amount) "
                        f"SELECT register, %s, org_unit_id, {_month_sql(column)}, status, outcome, category, "
                        f"{dims[0][0]}, {dims[1][0]}, %s, SUBSTR({value_sql}, 1, 200), COUNT(*), {amount} "
                        f"FROM registers_record WHERE register = %s AND {column} IS NOT NULL AND {value_sql} <> '' "
                        f"GROUP BY {value_group}",
                        [str(basis), *dims[0][1], *dims[1][1], code, *value_params, *number_params, definition.code,
                         *value_params],
                    )
                    total += cursor.rowcount
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner picks a poor plan for the first indicator queries.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registers_recordrollup")
    return total


def rollup_snapshot(*, registers: list[str] | None = None) -> dict[RollupKey, tuple[int, Decimal]]:
    """The current rollup table as a dict (for comparing incremental and rebuilt rollups)."""
    queryset = RecordRollup.objects.all()
    if registers is not None:
        queryset = queryset.filter(register__in=registers)
    return {
        RollupKey(r.register, r.basis, r.org_unit_id, r.month, r.status, r.outcome, r.category, r.dim1, r.dim2,
                  r.field, r.value):
        (r.count, Decimal(r.amount).quantize(Decimal("0.01")))
        for r in queryset
    }
