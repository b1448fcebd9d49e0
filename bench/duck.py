"""The near-limit comparator of the indicator benchmark (issue 17 item 1): DuckDB over the raw records.

The records are copied (untimed, as setup) from the application's database (SQLite or PostgreSQL, read
through Django's connection) into an in-memory DuckDB database: one columnar table per register with the
record's own columns, its opening and closing month, its amount, and its rollup dimensions and rollup fields
extracted from the JSON payload into typed columns (a columnar store would keep them so; no JSON is parsed in
the timed part), plus the org closure table. No DuckDB extension is used (nothing is downloaded).

`duck_leaves` then computes the rollup terms of the indicator formulas straight from those raw records — one
grouped query per register over the closure, a `FILTER` aggregate per (term, period), grouped by root unit —
and `engine_over(source)` runs the engine's own evaluation (formulas, has_data, the rank pass over the
siblings, data values) with its rollup reads replaced by such a source. So the comparison isolates what the
engine's rollup reads cost against a columnar engine computing the same leaves from raw records, and the
values (checked equal to the engine's) are computed the same way after that.

`narrow_leaves` is the narrow one-pass comparator in the application's own database: one GROUP BY per
register over the raw records joined to the closure, grouped by root and the few key columns (month of
opening and closing, status, outcome, category, rollup dimensions) with COUNT/SUM only, the terms then added
up in Python from those grouped rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

import duckdb
from django.db import connection

from fazhi.indicators import engine
from fazhi.registers.registry import register_definition, register_definitions
from fazhi.registers.rollup_reads import RollupQuery
from fazhi.registers.rollups import dimension_value

Leaves = dict[tuple[int, Any], Decimal]
LeafSource = Callable[[list[int], list[Any]], Leaves]

_OWN = ("status", "outcome", "category")


def _table(register: str) -> str:
    return f"rec_{register}"


def _col(code: str) -> str:
    return f"p_{code}"


def _num(code: str) -> str:
    return f"n_{code}"


def _payload_fields(register: str) -> tuple[list[str], list[str]]:
    """(text columns: dimensions and rollup fields; number columns: numeric rollup fields)."""
    definition = register_definition(register)
    texts = list(dict.fromkeys([*definition.rollup_dimensions, *definition.rollup_fields]))
    numbers = [code for code in definition.rollup_fields
               if str(definition.field(code).type) in ("int", "decimal", "money")]  # type: ignore[union-attr]
    return texts, numbers


def _text(definition, code: str, value: Any) -> str:
    """The payload value as rollups.py stores it (booleans as true/false, else its text)."""
    field = definition.field(code)
    if code in definition.rollup_dimensions or str(field.type) == "bool":
        return dimension_value(value)
    return "" if value is None else str(value)[:200]


def _number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return NULL
    try:
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    except ArithmeticError:
        return NULL


def duck_load() -> tuple[duckdb.DuckDBPyConnection, dict]:
    """The raw records and the closure, copied into a new in-memory DuckDB database (untimed setup)."""
    started = dt.datetime.now()
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {os.cpu_count() or 1}")
    rows = 0
    with tempfile.TemporaryDirectory(prefix="bench-duck-") as tmp:
        for definition in register_definitions():
            texts, numbers = _payload_fields(definition.code)
            columns = ["org_unit_id BIGINT", "status VARCHAR", "outcome VARCHAR", "category VARCHAR",
                       "opened_month DATE", "closed_month DATE", "amount DECIMAL(18,2)",
                       *(f"{_col(c)} VARCHAR" for c in texts), *(f"{_num(c)} DECIMAL(18,2)" for c in numbers)]
            path = os.path.join(tmp, f"{definition.code}.csv")
            n = 0
            with open(path, "w", newline="", encoding="utf-8") as f, connection.cursor() as cursor:
                out = csv.writer(f)
                cursor.execute("SELECT org_unit_id, status, outcome, category, opened_on, closed_on, amount, payload "
                               "FROM registers_record WHERE register = %s AND opened_on IS NOT NULL",
                               [definition.code])
                while chunk := cursor.fetchmany(20_000):
                    for unit, status, outcome, category, opened, closed, amount, payload in chunk:
                        data = json.loads(payload) if isinstance(payload, str) else (payload or {})
                        out.writerow([unit, status, outcome or "", category or "", _month(opened), _month(closed),
                                      NULL if amount is None else amount,
                                      *(_text(definition, c, data.get(c)) for c in texts),
                                      *(_number(data.get(c)) for c in numbers)])
                        n += 1
            text_columns = {"status", "outcome", "category", *(_col(c) for c in texts)}
            names = ", ".join(f"COALESCE({c}, '')" if c in text_columns else c
                              for c in (c.split()[0] for c in columns))
            types = "{" + ", ".join(f"'{c.split()[0]}': '{c.split(maxsplit=1)[1]}'" for c in columns) + "}"
            con.execute(f"CREATE TABLE {_table(definition.code)} ({', '.join(columns)})")
            if n:
                con.execute(f"INSERT INTO {_table(definition.code)} SELECT {names} FROM read_csv(?, header = false, "
                            f"columns = {types}, nullstr = '\\N', quote = '\"')", [path])
            rows += n
    with connection.cursor() as cursor:
        cursor.execute("SELECT ancestor_id, descendant_id FROM core_orgunitclosure")
        closure = cursor.fetchall()
    con.execute("CREATE TABLE closure (ancestor_id BIGINT, descendant_id BIGINT)")
    con.executemany("INSERT INTO closure VALUES (?, ?)", closure)
    return con, {"records": rows, "closure_rows": len(closure),
                 "load_s": (dt.datetime.now() - started).total_seconds()}


NULL = "\\N"


def _month(day: Any) -> str:
    if day is None:
        return NULL
    text = day.isoformat() if isinstance(day, dt.date) else str(day)
    return text[:7] + "-01"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _conditions(query: RollupQuery) -> list[str]:
    """The query's filters on a raw record of its register (the rollup rows' meaning, rollups.py)."""
    definition = register_definition(query.register)
    out = []
    field = query.field if query.measure in ("distinct", "amount") and query.field else ""
    for key, values, negated in query.filters:
        column = key if key in _OWN else _col(key)
        listed = ", ".join(_quote(v) for v in values)
        out.append(f"{column} {'NOT IN' if negated else 'IN'} ({listed})")
        if key not in _OWN and key not in definition.rollup_dimensions:
            field = key  # a rollup field: only records with a value of it (its own rollup rows)
    if field:
        out.append(f"{_col(field)} <> ''")
    return out


def _aggregate(query: RollupQuery) -> str:
    conds = _conditions(query)
    end = f"DATE '{query.end.isoformat()}'"
    first = query.first_month
    if query.measure == "stock":
        where = " AND ".join(conds) or "TRUE"
        return (f"(COUNT(*) FILTER (WHERE opened_month <= {end} AND {where}) - "
                f"COUNT(*) FILTER (WHERE closed_month <= {end} AND {where}))")
    if query.measure == "distinct" and query.basis == "open":
        conds += [f"opened_month <= {end}", f"(closed_month IS NULL OR closed_month > {end})"]
        return f"COUNT(DISTINCT {_col(query.field)}) FILTER (WHERE {' AND '.join(conds)})"
    month = "opened_month" if query.basis == "opened" else "closed_month"
    conds.append(f"{month} <= {end}")
    if first is not None:
        conds.append(f"{month} >= DATE '{first.isoformat()}'")
    where = " AND ".join(conds)
    if query.measure == "distinct":
        return f"COUNT(DISTINCT {_col(query.field)}) FILTER (WHERE {where})"
    if query.measure == "amount":
        measure = _num(query.field) if query.field else "amount"
        return f"COALESCE(SUM({measure}) FILTER (WHERE {where}), 0)"
    return f"COUNT(*) FILTER (WHERE {where})"


def _queries_by_register(terms: list[Any]) -> tuple[dict[Any, RollupQuery], dict[str, list[RollupQuery]]]:
    """The engine's rollup query of each term, and the distinct queries grouped by register (both sources)."""
    queries = {key: engine._rollup_query(*key) for key in terms}
    by_register: dict[str, list[RollupQuery]] = {}
    for query in dict.fromkeys(queries.values()):
        by_register.setdefault(query.register, []).append(query)
    return queries, by_register


def duck_leaves(con: duckdb.DuckDBPyConnection) -> LeafSource:
    """A leaf source (engine._rollup_values' signature) computing every term from DuckDB's raw records."""

    # Registers without records are not queried (their terms are 0): DuckDB spends 25–40 ms planning a
    # query of a few dozen FILTER aggregates even over an empty table; a user of DuckDB would skip them.
    filled = {code for (code,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE estimated_size > 0").fetchall()}

    def leaves(roots: list[int], terms: list[Any]) -> Leaves:
        if not terms or not roots:
            return {}
        queries, by_register = _queries_by_register(terms)
        totals: dict[tuple[int, RollupQuery], Decimal] = {}
        ids = ", ".join(str(int(r)) for r in roots)
        for register, register_queries in sorted(by_register.items()):
            if _table(register) not in filled:
                continue
            select = ", ".join(_aggregate(q) for q in register_queries)
            sql = (f"SELECT c.ancestor_id, {select} FROM {_table(register)} r "
                   f"JOIN closure c ON c.descendant_id = r.org_unit_id WHERE c.ancestor_id IN ({ids}) "
                   "GROUP BY c.ancestor_id")
            for row in con.execute(sql).fetchall():
                for i, query in enumerate(register_queries):
                    totals[(row[0], query)] = Decimal(str(row[i + 1] or 0))
        return {(root, key): totals.get((root, query), Decimal(0)) for key, query in queries.items()
                for root in roots}

    return leaves


# ------------------------------------------------------------------------------ narrow, same database

def _narrow_sql(register: str, roots: Sequence[int]) -> tuple[str, list[str]]:
    definition = register_definition(register)
    from fazhi.registers.rollups import dimension_sql

    dims, params = [], []
    for code in definition.rollup_dimensions:
        sql, p = dimension_sql(definition, code)
        dims.append(sql)
        params += p
    dims += ["''"] * (2 - len(dims))
    if connection.vendor == "postgresql":
        month = "CAST(date_trunc('month', {}) AS date)"
    else:
        month = "strftime('%%Y-%%m-01', {})"
    group = ", ".join(str(i) for i in range(1, 9))
    ids = ", ".join(str(int(r)) for r in roots)
    sql = (f"SELECT c.ancestor_id, {month.format('r.opened_on')}, {month.format('r.closed_on')}, r.status, "
           f"r.outcome, r.category, {dims[0]}, {dims[1]}, COUNT(*), SUM(r.amount) "
           "FROM registers_record r JOIN core_orgunitclosure c ON c.descendant_id = r.org_unit_id "
           f"WHERE c.ancestor_id IN ({ids}) AND r.register = %s AND r.opened_on IS NOT NULL GROUP BY {group}")
    return sql, [*params, register]


def _matches(query: RollupQuery, dims: dict[str, str], row: tuple) -> bool:
    for key, values, negated in query.filters:
        value = dims.get(key, "")
        if (value in values) == negated:
            return False
    return True


def narrow_leaves() -> LeafSource:
    """A leaf source reading the raw records with one narrow GROUP BY per register in the application's own
    database (terms on rollup fields are not implemented: it refuses a register with records whose terms read them;
    the bench data has none)."""

    def leaves(roots: list[int], terms: list[Any]) -> Leaves:
        if not terms or not roots:
            return {}
        queries, by_register = _queries_by_register(terms)
        totals: dict[tuple[int, RollupQuery], Decimal] = {}
        for register, register_queries in sorted(by_register.items()):
            definition = register_definition(register)
            codes = list(definition.rollup_dimensions)
            sql, params = _narrow_sql(register, roots)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                grouped = cursor.fetchall()
            reads_fields = any(q.measure == "distinct" or q.field for q in register_queries) or any(
                key not in _OWN and key not in codes for q in register_queries for key, _, _ in q.filters)
            if grouped and reads_fields:  # the bench data has no records of such registers
                raise NotImplementedError(f"narrow comparator: {register} has records and reads rollup fields")
            sums: dict[tuple[int, RollupQuery], Decimal] = {}
            for row in grouped:
                root, opened, closed, status, outcome, category = row[:6]
                opened, closed = _iso(opened), _iso(closed)
                dims = {"status": status, "outcome": outcome or "", "category": category or "",
                        **{code: row[6 + i] or "" for i, code in enumerate(codes)}}
                n, amount = row[8], Decimal(str(row[9] or 0))
                for query in register_queries:
                    if not _matches(query, dims, row):
                        continue
                    end = query.end.isoformat()
                    if query.measure == "stock":
                        add = (n if opened <= end else 0) - (n if closed and closed <= end else 0)
                    else:
                        month = opened if query.basis == "opened" else closed
                        first = query.first_month
                        if not month or month > end or (first is not None and month < first.isoformat()):
                            continue
                        add = amount if query.measure == "amount" else n
                    sums[(root, query)] = sums.get((root, query), Decimal(0)) + add
            totals.update(sums)
        return {(root, key): totals.get((root, query), Decimal(0)) for key, query in queries.items()
                for root in roots}

    return leaves


def _iso(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


@contextmanager
def engine_over(source: LeafSource) -> Iterator[None]:
    """The engine with its rollup reads replaced by `source` (everything else is the engine's own code)."""
    with mock.patch.object(engine, "_rollup_values", source):
        yield
