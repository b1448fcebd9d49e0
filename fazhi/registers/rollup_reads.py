"""Reads of the rollups: the one place that knows how RecordRollup is laid out for reading.

`rollups.py` writes the table (one row per register, unit, month, basis, status, outcome, category, the
two rollup dimensions `dim1`/`dim2` in the order of the register's `rollup_dimensions`, and for each of its
`rollup_fields` one row per value in `field`/`value`). Everything that reads it — table and column names,
which dimension sits in which column, which rows a filter on a rollup field reads — is here; callers (the
indicator engine) describe what they want as `RollupQuery` values in the register's own vocabulary (field
codes, bases, months) and get numbers back.

Performance: `rollup_totals` answers any number of queries with one grouped SQL query per register
(grouped by root unit over the closure table, a conditional sum per query); a distinct query is one
grouped query per query, as distinct values do not add up over months (docs/benchmarks.md, bench/notes.md).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from fazhi.core.models import OrgUnitClosure

from .models import RecordRollup, RollupBasis
from .registry import register_definition

RollupMeasure = Literal["count", "amount", "stock", "distinct"]
RollupFilter = tuple[str, tuple[str, ...], bool]  # (field code, values, negated)
SqlParams = list[str | int]  # bound parameters of the raw queries (codes, ISO months, unit ids)

_OWN_COLUMNS = ("status", "outcome", "category")  # the record's own columns a query may filter on


@dataclass(frozen=True)
class RollupQuery:
    """One figure of one register, read for the subtree of each root unit.

    - `measure`: `count` of records; `amount`, the sum of the records' amount (with `field`: of that number
      rollup field); `stock`, records open at `end` (opened minus closed in every month up to `end`);
      `distinct`, how many different values of the rollup field `field` the records have.
    - `basis`: the month a record counts in, `opened` or `closed`; for `distinct` also `open` (the values
      held by a record still open at `end`). Not used by `stock`.
    - `start`/`end`: the period's days. Rollups are monthly, so a period counts from its first month;
      `start` is not used by `stock` or basis `open`.
    - `filters`: (code, values, negated) on status, outcome, category, one of the register's rollup
      dimensions, or one rollup field (not besides the `field` of distinct/amount: the indicator
      definitions validator enforces both).
    """

    register: str
    end: dt.date
    measure: RollupMeasure = "count"
    start: dt.date | None = None
    basis: str = "opened"
    field: str = ""
    filters: tuple[RollupFilter, ...] = ()

    @property
    def first_month(self) -> dt.date | None:
        """The first month read, None for every month up to `end`."""
        if self.measure == "stock" or self.basis == "open" or self.start is None:
            return None
        return self.start.replace(day=1)


Totals = dict[tuple[int, RollupQuery], Decimal]

_TABLE = RecordRollup._meta.db_table
_CLOSURE = OrgUnitClosure._meta.db_table


def _row_field(query: RollupQuery) -> str:
    """Which rollup rows a query reads: '' for the records' own rows, else those of the rollup field it
    counts, adds up or filters on."""
    if query.measure in ("distinct", "amount") and query.field:
        return query.field
    dimensions = register_definition(query.register).rollup_dimensions
    return next((key for key, _, _ in query.filters if key not in _OWN_COLUMNS and key not in dimensions), "")


def _filter_sql(query: RollupQuery) -> tuple[list[str], SqlParams]:
    """The query's conditions on rollup rows: its filters, and which rows it reads — the records' own rows
    (field = ''), or the rows of one rollup field (distinct, amount of a field, a filter on a rollup field)."""
    definition = register_definition(query.register)
    columns = {code: f"r.{code}" for code in _OWN_COLUMNS}
    for i, code in enumerate(definition.rollup_dimensions):  # the positions rollups.py writes them in
        columns[code] = f"r.dim{i + 1}"
    parts: list[str] = []
    params: SqlParams = []
    for key, values, negated in query.filters:
        marks = ", ".join(["%s"] * len(values))
        column = columns.get(key, "r.value")  # a rollup field's rows keep its value in `value`
        parts.append(f"{column} {'NOT IN' if negated else 'IN'} ({marks})")
        params += list(values)
    if definition.rollup_fields:  # a register without rollup fields has only the records' own rows
        parts.insert(0, "r.field = %s")
        params.insert(0, _row_field(query))
    return parts, params


def _sum_sql(query: RollupQuery, with_months: bool) -> tuple[str, SqlParams]:
    """The conditional sum of one query over rollup rows of its register (the WHERE fixes the register):
    counts or amounts of its basis, or for a stock opened minus closed, within its months when
    `with_months` (a stock: every month up to its end), else over the months the query groups by."""
    conds: list[str] = []
    params: SqlParams = []
    if query.measure != "stock":
        conds.append("r.basis = %s")
        params.append(query.basis)
        first = query.first_month
        if with_months and first is not None:  # None: every month up to the end (see first_month)
            conds.append("r.month >= %s")
            params.append(first.isoformat())
    if with_months:
        conds.append("r.month <= %s")
        params.append(query.end.isoformat())
    filters, filter_params = _filter_sql(query)
    conds += filters
    params += filter_params
    measure = {"stock": "CASE WHEN r.basis = 'opened' THEN r.count ELSE -r.count END", "count": "r.count"}.get(
        query.measure, "r.amount")
    return (f"SUM(CASE WHEN {' AND '.join(conds)} THEN {measure} ELSE 0 END)" if conds else f"SUM({measure})"), params


def _where(roots: Sequence[int], register: str, queries: Sequence[RollupQuery]) -> tuple[str, SqlParams]:
    """FROM … WHERE shared by all query shapes: the roots' subtrees, one register, the months needed."""
    latest = max(q.end for q in queries).isoformat()
    firsts = [q.first_month for q in queries]
    starts = [f for f in firsts if f is not None]
    earliest = min(starts).isoformat() if len(starts) == len(firsts) else None  # a query reading every month
    where = [f"c.ancestor_id IN ({', '.join(['%s'] * len(roots))})", "r.register = %s", "r.month <= %s"]
    params: SqlParams = [*roots, register, latest]
    if register_definition(register).rollup_fields:  # skip the rollup-field rows no query reads
        fields = sorted({_row_field(q) for q in queries})
        where.append(f"r.field IN ({', '.join(['%s'] * len(fields))})")
        params += fields
    if earliest:
        where.append("r.month >= %s")
        params.append(earliest)
    return (f"FROM {_TABLE} r JOIN {_CLOSURE} c ON c.descendant_id = r.org_unit_id "
            f"WHERE {' AND '.join(where)}"), params


def rollup_totals(*, roots: Sequence[int], queries: Iterable[RollupQuery]) -> Totals:
    """The value of every query for the subtree of every root, keyed by (root id, query); 0 where no
    rollup row matches.

    count/amount/stock: one grouped query per register (a rollup row is then tested only against its own
    register's queries; one query for all registers tested every row against every query, which at 100
    districts × 5 years cost several times more, docs/benchmarks.md). distinct: one grouped query per query.
    """
    queries = list(dict.fromkeys(queries))
    if not queries or not roots:
        return {}
    additive = [q for q in queries if q.measure != "distinct"]
    out: Totals = {}
    if additive:
        by_register: dict[str, list[RollupQuery]] = {}
        for query in additive:
            by_register.setdefault(query.register, []).append(query)
        several_periods = len({(q.start, q.end) for q in additive}) > 1
        for register, register_queries in sorted(by_register.items()):
            if several_periods:
                out.update(_totals_by_month(roots, register, register_queries))
            else:
                out.update(_totals_one_period(roots, register, register_queries))
    out.update(_distinct_totals(roots, [q for q in queries if q.measure == "distinct"]))
    return out


def _totals_one_period(roots: Sequence[int], register: str, queries: list[RollupQuery]) -> Totals:
    """One period: one conditional sum per query, grouped by root."""
    select, params = [], []
    for query in queries:
        sql, query_params = _sum_sql(query, with_months=True)
        select.append(sql)
        params += query_params
    source, where_params = _where(roots, register, queries)
    sql = f"SELECT c.ancestor_id, {', '.join(select)} {source} GROUP BY c.ancestor_id"
    out: Totals = {(root, query): Decimal(0) for root in roots for query in queries}
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        for row in cursor.fetchall():
            for i, query in enumerate(queries):
                out[(row[0], query)] = Decimal(str(row[i + 1] or 0))
    return out


def _totals_by_month(roots: Sequence[int], register: str, queries: list[RollupQuery]) -> Totals:
    """Many periods (同比, trends, five years): grouped by (root, month) with one column per query without
    its months, so the SQL's cost does not grow with the number of periods; each period is then the
    difference of two running totals over the months (flows: the months inside it; stocks: every month
    up to its end). Measured 4–16× faster than one column per query for all districts × 5 years
    (docs/benchmarks.md)."""
    shapes = sorted({_without_months(q) for q in queries}, key=repr)
    select, params = [], []
    for shape in shapes:
        sql, shape_params = _sum_sql(shape, with_months=False)
        select.append(sql)
        params += shape_params
    source, where_params = _where(roots, register, queries)
    sql = (f"SELECT c.ancestor_id, r.month, {', '.join(select)} {source} "
           "GROUP BY c.ancestor_id, r.month ORDER BY c.ancestor_id, r.month")
    index = {shape: i for i, shape in enumerate(shapes)}
    # root → (months in order, running totals per shape: totals[i][k] = sum of months[0..k-1])
    months_of: dict[int, list[str]] = {}
    totals_of: dict[int, list[list[int | Decimal]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        for row in cursor.fetchall():
            root = row[0]
            if root not in months_of:
                months_of[root], totals_of[root] = [], [[0] for _ in shapes]
            months_of[root].append(str(row[1])[:10])
            for running, value in zip(totals_of[root], row[2:], strict=True):
                # counts come back as int (SQLite) or Decimal (PostgreSQL); amounts may be float on SQLite
                running.append(running[-1] + (value if isinstance(value, int | Decimal) else Decimal(str(value or 0))))
    out: Totals = {}
    for root in roots:
        months = months_of.get(root, [])
        totals = totals_of.get(root)
        for query in queries:
            if totals is None:
                out[(root, query)] = Decimal(0)
                continue
            running = totals[index[_without_months(query)]]
            hi = bisect_right(months, query.end.isoformat())
            first = query.first_month
            lo = 0 if first is None else bisect_left(months, first.isoformat())
            out[(root, query)] = Decimal(str(running[hi] - running[lo])) if hi > lo else Decimal(0)
    return out


def _without_months(query: RollupQuery) -> RollupQuery:
    """The query's column in the by-month shape (its months are applied in Python)."""
    return RollupQuery(register=query.register, end=dt.date.max, measure=query.measure, basis=query.basis,
                       field=query.field, filters=query.filters)


def _distinct_totals(roots: Sequence[int], queries: list[RollupQuery]) -> Totals:
    """distinct, per query: the number of different values of a rollup field among the rows of each
    root's subtree that a count would read (basis=open: values still held by a record open at the end).
    Not additive over months, so one grouped query per query."""
    out: Totals = {}
    for query in queries:
        conds, params = _filter_sql(query)
        # the months: _where's, from the first month (every month up to the end for basis=open)
        source, where_params = _where(roots, query.register, [query])
        if query.basis == "open":
            sql = (f"SELECT root, COUNT(*) FROM (SELECT c.ancestor_id AS root, r.value {source} "
                   f"AND {' AND '.join(conds)} GROUP BY c.ancestor_id, r.value "
                   "HAVING SUM(CASE WHEN r.basis = 'opened' THEN r.count ELSE -r.count END) > 0) open_values "
                   "GROUP BY root")
        else:
            conds.append("r.basis = %s")
            params.append(query.basis)
            sql = f"SELECT c.ancestor_id, COUNT(DISTINCT r.value) {source} AND {' AND '.join(conds)} GROUP BY c.ancestor_id"
        counts = dict.fromkeys(roots, Decimal(0))
        with connection.cursor() as cursor:
            cursor.execute(sql, where_params + params)
            for root, count in cursor.fetchall():
                counts[root] = Decimal(count)
        for root in roots:
            out[(root, query)] = counts[root]
    return out


def rollup_latest_month(*, root: int, until: dt.date) -> dt.date | None:
    """The latest month up to `until` in which a record of `root`'s subtree was opened or closed (any
    register): the pages' default year is the latest with data. One indexed MAX over the closure join."""
    sql = (f"SELECT MAX(r.month) FROM {_TABLE} r JOIN {_CLOSURE} c ON c.descendant_id = r.org_unit_id "
           "WHERE c.ancestor_id = %s AND r.month <= %s AND r.field = '' AND r.count <> 0")
    with connection.cursor() as cursor:
        cursor.execute(sql, [root, until.isoformat()])
        row = cursor.fetchone()
    value = row[0] if row else None
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def rollup_register_counts(*, unit_ids: QuerySet[Any, Any] | None) -> dict[str, tuple[int, int]]:
    """Per register: (records opened, records closed) in `unit_ids` (None: every unit), from the rollups — one
    grouped query over the record rows (`field` ''), not a count of the records themselves."""
    rows = RecordRollup.objects.filter(field="")
    if unit_ids is not None:
        rows = rows.filter(org_unit_id__in=unit_ids)
    out: dict[str, tuple[int, int]] = {}
    for row in rows.order_by().values("register").annotate(
            opened=Sum("count", filter=Q(basis=RollupBasis.OPENED)),
            closed=Sum("count", filter=Q(basis=RollupBasis.CLOSED))):
        out[row["register"]] = (int(row["opened"] or 0), int(row["closed"] or 0))
    return out
