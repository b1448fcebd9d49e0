"""Rollup maintenance: the write side keeps RecordRollup in step with records, in the same transaction.

A record contributes one row-key to the `opened` basis (month of opened_on) and, once closed, one
to the `closed` basis (month of closed_on). A write removes the record's old contributions and adds
its new ones; only the net change touches the table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.fields.json import KT

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
    return [(key, amount) for key in keys]


_UPSERT = """
INSERT INTO registers_recordrollup
    (register, basis, org_unit_id, month, status, outcome, category, dim1, dim2, count, amount)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (register, basis, org_unit_id, month, status, outcome, category, dim1, dim2)
DO UPDATE SET count = registers_recordrollup.count + excluded.count,
              amount = registers_recordrollup.amount + excluded.amount
"""

_DELETE_EMPTY = """
DELETE FROM registers_recordrollup
WHERE register = %s AND basis = %s AND org_unit_id = %s AND month = %s AND status = %s AND outcome = %s
  AND category = %s AND dim1 = %s AND dim2 = %s AND count = 0
"""


def rollup_apply(*, before: Iterable[Contribution], after: Iterable[Contribution]) -> None:
    """Apply the net change from `before` to `after`. Call inside the write's transaction."""
    delta: dict[RollupKey, list] = defaultdict(lambda: [0, Decimal(0)])
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
        for key, n, amt in changes:
            cursor.execute(_UPSERT, [*key, n, amt])
            if n < 0:
                cursor.execute(_DELETE_EMPTY, list(key))


def rollups_rebuild(*, registers: list[str] | None = None) -> int:
    """Recompute the rollups from raw records with grouped queries; returns the number of rows."""
    definitions = [d for d in register_definitions() if registers is None or d.code in registers]
    total = 0
    with transaction.atomic():
        RecordRollup.objects.filter(register__in=[d.code for d in definitions]).delete()
        for definition in definitions:
            rows = _grouped(definition)
            RecordRollup.objects.bulk_create(
                [RecordRollup(**key._asdict(), count=n, amount=amt) for key, (n, amt) in rows.items()],
                batch_size=5000,
            )
            total += len(rows)
    return total


def _grouped(definition: RegisterDefinition) -> dict[RollupKey, tuple[int, Decimal]]:
    dims = {f"d{i}": KT(f"payload__{code}") for i, code in enumerate(definition.rollup_dimensions)}
    base = Record.objects.filter(register=definition.code).annotate(**dims)
    rows: dict[RollupKey, list] = defaultdict(lambda: [0, Decimal(0)])
    for basis, date_field in ((RollupBasis.OPENED, "opened_on"), (RollupBasis.CLOSED, "closed_on")):
        grouped = (
            base.filter(**{f"{date_field}__isnull": False})
            .values("org_unit_id", "status", "outcome", "category", *dims, month_=_trunc_month(date_field))
            .annotate(n=Count("pk"), amt=Sum("amount"))
            .order_by()
        )
        for row in grouped:
            values = [dimension_value(row.get(f"d{i}")) for i in range(len(definition.rollup_dimensions))]
            values += [""] * (2 - len(values))
            month = row["month_"]
            if isinstance(month, dt.datetime):
                month = month.date()
            key = RollupKey(definition.code, basis, row["org_unit_id"], month, row["status"], row["outcome"] or "",
                            row["category"] or "", values[0], values[1])
            rows[key][0] += row["n"]
            rows[key][1] += row["amt"] or Decimal(0)
    return {k: (n, amt) for k, (n, amt) in rows.items()}


def _trunc_month(field: str):
    from django.db.models.functions import TruncMonth

    return TruncMonth(field)


def rollup_snapshot(*, registers: list[str] | None = None) -> dict[RollupKey, tuple[int, Decimal]]:
    """The current rollup table as a dict (for comparing incremental and rebuilt rollups)."""
    queryset = RecordRollup.objects.all()
    if registers is not None:
        queryset = queryset.filter(register__in=registers)
    return {
        RollupKey(r.register, r.basis, r.org_unit_id, r.month, r.status, r.outcome, r.category, r.dim1, r.dim2):
        (r.count, Decimal(r.amount).quantize(Decimal("0.01")))
        for r in queryset
    }
