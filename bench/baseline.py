"""Hand-written SQL the measured paths are compared with, for SQLite and PostgreSQL.

* `indicator_terms_sql`: one GROUP BY over registers_recordrollup joined to the closure table, computing the
  counts and sums (rollup terms) all indicators need, as literal SQL written here (not the engine's code);
  `expected_values` evaluates the indicators on those numbers, to check the engine's output equals them.
* `raw_rebuild`: DELETE + INSERT … SELECT … GROUP BY from registers_record, one statement per register and
  basis, with each register's rollup dimensions extracted from the JSON payload in SQL.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import connection, transaction

from fazhi.core.periods import Period
from fazhi.indicators import engine
from fazhi.indicators.formulas import Term
from fazhi.indicators.registry import indicator_registry
from fazhi.registers.registry import register_definition, register_definitions

_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _lit(code: str) -> str:
    """A definition code as an SQL literal (codes are identifiers; anything else is refused)."""
    if not _CODE.fullmatch(code):
        raise ValueError(f"not a code: {code!r}")
    return f"'{code}'"


def _quote(value: str) -> str:
    """A rollup field's value from a definition as an SQL literal (no quotes or backslashes allowed)."""
    if "'" in value or "\\" in value:
        raise ValueError(f"not a plain value: {value!r}")
    return f"'{value}'"


def _term_condition(term: Term) -> str:
    definition = register_definition(term.source)
    columns = {"status": "r.status", "outcome": "r.outcome", "category": "r.category"}
    columns.update({code: f"r.dim{i + 1}" for i, code in enumerate(definition.rollup_dimensions)})
    parts = [f"r.register = {_lit(term.source)}"]
    field = term.element if term.kind in ("distinct", "sum") else ""
    for key, values, negated in term.filters:
        if key in columns:
            parts.append(f"{columns[key]} {'NOT IN' if negated else 'IN'} ({', '.join(_lit(v) for v in values)})")
        else:  # a rollup field: its own rows
            field = key
            parts.append(f"r.value {'NOT IN' if negated else 'IN'} ({', '.join(_quote(v) for v in values)})")
    if definition.rollup_fields:
        parts.append(f"r.field = {_quote(field)}")
    return " AND ".join(parts)


def _column(term: Term, period: Period) -> str:
    cond = _term_condition(term)
    end = f"'{period.end.isoformat()}'"
    if term.kind == "stock":
        return (f"SUM(CASE WHEN {cond} AND r.month <= {end} THEN "
                "(CASE WHEN r.basis = 'opened' THEN r.count ELSE -r.count END) ELSE 0 END)")
    start = f"'{period.start.replace(day=1).isoformat()}'"
    measure = "r.amount" if term.kind == "sum" else "r.count"
    cond = cond.replace(" AND ", f" AND r.basis = {_lit(term.basis)} AND r.month >= {start} AND r.month <= {end} AND ", 1) \
        if " AND " in cond else f"{cond} AND r.basis = {_lit(term.basis)} AND r.month >= {start} AND r.month <= {end}"
    if term.kind == "distinct":  # the shipped distinct terms count by opening or closing month, not basis=open
        return f"COUNT(DISTINCT CASE WHEN {cond} THEN r.value END)"
    return f"SUM(CASE WHEN {cond} THEN {measure} ELSE 0 END)"


def rollup_terms(units: list, periods: list[Period]) -> tuple[list, list[tuple[Term, Period]]]:
    """The (indicator, period) requests of all indicators and the rollup (term, period) pairs they read."""
    reg = indicator_registry()
    requests = [(code, p) for code, ind in reg.indicators.items() for p in periods
                if p.type in ind.definition.period_types]
    _, terms = engine._needs(reg, requests)
    return requests, sorted((t for t in terms if t[0].kind != "value"), key=repr)


def indicator_terms_sql(unit_ids: list[int], terms: list[tuple[Term, Period]]) -> str:
    """One GROUP BY over the rollups of the units' subtrees: a conditional sum per (term, period)."""
    registers = sorted({t.source for t, _ in terms})
    latest = max(p.end for _, p in terms).isoformat()
    select = ",\n  ".join(_column(t, p) for t, p in terms)
    return (f"SELECT c.ancestor_id,\n  {select}\nFROM registers_recordrollup r\n"
            "JOIN core_orgunitclosure c ON c.descendant_id = r.org_unit_id\n"
            f"WHERE c.ancestor_id IN ({', '.join(str(int(u)) for u in unit_ids)})\n"
            f"  AND r.register IN ({', '.join(_lit(r) for r in registers)})\n"
            f"  AND r.month <= '{latest}'\nGROUP BY c.ancestor_id")


def indicator_terms(sql: str, terms: list[tuple[Term, Period]]) -> dict[tuple[int, tuple], Decimal]:
    out: dict[tuple[int, tuple], Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for row in cursor.fetchall():
            for i, key in enumerate(terms):
                out[(row[0], key)] = Decimal(str(row[i + 1] or 0))
    return out


def expected_values(leaves: dict, units: list, periods: list[Period]) -> dict[tuple[int, str, str], Decimal | None]:
    """Every indicator evaluated on the baseline's numbers (data-set value() leaves, if any, read as the
    engine reads them; they are not part of the baseline query)."""
    reg = indicator_registry()
    requests, _ = rollup_terms(units, periods)
    pairs, terms = engine._needs(reg, requests)
    value_terms = sorted((t for t in terms if t[0].kind == "value"), key=repr)
    all_leaves = {**leaves, **engine._datavalue_values([u.pk for u in units], value_terms)}
    # ranks: the engine's own second pass (a place among siblings is not a rollup sum)
    rank_pairs = [(c, p) for c, p in pairs if reg.indicators[c].definition.kind == "rank"]
    evaluator = engine.Evaluator(reg, all_leaves, engine._rank_places(reg, [u.pk for u in units], rank_pairs))
    out = {}
    for unit in units:
        for code, period in requests:
            if unit.kind in reg.indicators[code].definition.levels:
                out[(unit.pk, period.code, code)] = evaluator.indicator(code, period, unit.pk)[0]
    return out


def values_agree(engine_value: Decimal | None, expected: Decimal | None) -> bool:
    if engine_value is None or expected is None:
        return engine_value is None and expected is None
    return abs(Decimal(engine_value) - Decimal(expected)) <= Decimal("0.000001") * max(Decimal(1), abs(expected))


# ------------------------------------------------------------------------------------------- rebuild

def _dims_sql(vendor: str) -> dict[str, tuple[str, str]]:
    """Each register's rollup dimensions (register.yaml `rollup_dimensions`, choice or bool fields) as SQL on
    the payload: choice codes as text, JSON booleans as 'true'/'false', missing as ''."""
    out = {}
    for definition in register_definitions():
        dims = []
        for code in definition.rollup_dimensions:
            _lit(code)
            field = next(f for f in definition.fields if f.code == code)
            if vendor == "postgresql":
                dims.append(f"COALESCE(payload->>'{code}', '')")  # JSON true/false → 'true'/'false'
            elif str(field.type) == "bool":
                dims.append(f"(CASE json_type(payload, '$.{code}') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
                            f"ELSE COALESCE(json_extract(payload, '$.{code}'), '') END)")
            else:
                dims.append(f"COALESCE(json_extract(payload, '$.{code}'), '')")
        dims += ["''"] * (2 - len(dims))
        out[definition.code] = (dims[0], dims[1])
    return out


def raw_rebuild_statements(vendor: str) -> list[str]:
    def month(col: str) -> str:
        return f"CAST(date_trunc('month', {col}) AS date)" if vendor == "postgresql" else f"strftime('%Y-%m-01', {col})"

    out = ["DELETE FROM registers_recordrollup"]
    for register, (dim1, dim2) in _dims_sql(vendor).items():
        for basis, col in (("opened", "opened_on"), ("closed", "closed_on")):
            out.append(
                "INSERT INTO registers_recordrollup "
                "(register, basis, org_unit_id, month, status, outcome, category, dim1, dim2, field, value, count, "
                "amount) "
                f"SELECT register, '{basis}', org_unit_id, {month(col)}, status, outcome, category, {dim1}, {dim2}, "
                "'', '', COUNT(*), COALESCE(SUM(amount), 0) FROM registers_record "
                f"WHERE register = {_lit(register)} AND {col} IS NOT NULL "
                "GROUP BY " + ", ".join(["register", "org_unit_id", month(col), "status", "outcome", "category",
                                         *(d for d in (dim1, dim2) if d != "''")])
            )
    return out


def raw_rebuild() -> None:
    statements = raw_rebuild_statements(connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)  # no params: % is literal


ROLLUP_KEY = ("register, basis, org_unit_id, month, status, outcome, category, dim1, dim2, field, value, count, "
              "ROUND(amount, 2)")


def rollup_copy(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TABLE {name} AS SELECT * FROM registers_recordrollup")


def rollup_differences(name: str) -> tuple[int, int, int, int]:
    """(rows in the table, rows in the copy, rows only in the table, rows only in the copy)."""
    with connection.cursor() as cursor:
        counts = []
        for sql in (
            "SELECT COUNT(*) FROM registers_recordrollup",
            f"SELECT COUNT(*) FROM {name}",
            f"SELECT COUNT(*) FROM (SELECT {ROLLUP_KEY} FROM registers_recordrollup "
            f"EXCEPT SELECT {ROLLUP_KEY} FROM {name}) x",
            f"SELECT COUNT(*) FROM (SELECT {ROLLUP_KEY} FROM {name} "
            f"EXCEPT SELECT {ROLLUP_KEY} FROM registers_recordrollup) x",
        ):
            cursor.execute(sql)
            counts.append(cursor.fetchone()[0])
    return tuple(counts)  # type: ignore[return-value]


def rollup_drop(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
