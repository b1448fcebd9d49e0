"""Computes indicators for org units and periods from rollups and data values.

The rollup terms of all requested indicators, units and periods compile into one grouped SQL query per
register (a conditional sum per term, grouped by root unit over the closure table); data values
come from the data sets app in one grouped query per period. Formulas are then evaluated on those
few numbers in Python. Raw records are never read here: distinct() and sum(field=…) read the rollup
rows the register keeps for its `rollup_fields` (distinct, not additive over months, one grouped query per
(term, period)).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from django.db import connection

from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period
from fazhi.datasets.selectors import DataValueQuery, datavalue_totals
from fazhi.registers.registry import register_definition

from .definitions import Rounding
from .formulas import BinOp, Neg, Node, Num, Ref, Shift, Term, formula_shifted_refs, formula_terms
from .registry import IndicatorRegistry, indicator_registry


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    name: str
    unit: str
    kind: str
    period: Period
    org_unit_id: int
    org_unit_name: str
    value: Decimal | None  # rounded as the definition says; None when data is missing
    exact: Decimal | None  # before rounding
    numerator: Decimal | None  # rates; for a rank, the place
    denominator: Decimal | None  # rates; for a rank, how many units were ranked
    version: str

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "value": None if self.value is None else float(self.value),
            "unit": self.unit,
            "numerator": None if self.numerator is None else float(self.numerator),
            "denominator": None if self.denominator is None else float(self.denominator),
            "period": self.period.code,
            "period_label": self.period.label,
            "unit_name": self.org_unit_name,
            "org_unit_id": self.org_unit_id,
            "version": self.version,
        }


TermKey = tuple[Term, Period]


def _shift(period: Period, years: int) -> Period:
    return period if years == 0 else period.shifted_years(years)


def _needs(reg: IndicatorRegistry, requests: Iterable[tuple[str, Period]]) -> tuple[set, set[TermKey]]:
    """Every (indicator, period) and (term, period) the requests depend on."""
    pairs: set[tuple[str, Period]] = set()
    terms: set[TermKey] = set()
    stack = list(requests)
    while stack:
        code, period = stack.pop()
        if (code, period) in pairs:
            continue
        pairs.add((code, period))
        for node in reg.indicators[code].nodes.values():
            for ref, years in formula_shifted_refs(node):
                stack.append((ref, _shift(period, years)))
            for term, years in formula_terms(node):
                terms.add((term, _shift(period, years)))
    return pairs, terms


def _row_field(term: Term) -> str:
    """Which rollup rows a term reads: '' for the records' own, else the rollup field it counts, adds up
    or filters on."""
    if term.kind in ("distinct", "sum") and term.element:
        return term.element
    dimensions = register_definition(term.source).rollup_dimensions
    return next((key for key, _, _ in term.filters
                 if key not in ("status", "outcome", "category") and key not in dimensions), "")


def _filter_sql(term: Term) -> tuple[list[str], list]:
    """The term's conditions on rollup rows: its filters, and which rows it reads — the records' own rows
    (field = ''), or the rows of one rollup field (distinct, sum(field=…), a filter on a rollup field)."""
    definition = register_definition(term.source)
    columns = {"status": "r.status", "outcome": "r.outcome", "category": "r.category"}
    for i, code in enumerate(definition.rollup_dimensions):
        columns[code] = f"r.dim{i + 1}"
    field = _row_field(term)
    parts, params = [], []
    for key, values, negated in term.filters:
        marks = ", ".join(["%s"] * len(values))
        if key in columns:
            parts.append(f"{columns[key]} {'NOT IN' if negated else 'IN'} ({marks})")
        else:  # a rollup field (the validator allows one, and not besides distinct/sum's own field)
            parts.append(f"r.value {'NOT IN' if negated else 'IN'} ({marks})")
        params += list(values)
    if definition.rollup_fields:  # a register without rollup fields has only the records' own rows
        parts.insert(0, "r.field = %s")
        params.insert(0, field)
    return parts, params


def _term_sum_sql(term: Term, period: Period | None = None) -> tuple[str, list]:
    """The conditional sum of one term over rollup rows of its register (the query's WHERE fixes the
    register): counts or amounts of its basis, or for a stock opened minus closed, within `period`'s months
    when one is given (a stock: every month up to its end), else over the months the query groups by."""
    conds, params = [], []
    if term.kind != "stock":
        conds.append("r.basis = %s")
        params.append(term.basis)
        if period is not None:
            conds.append("r.month >= %s")
            params.append(period.start.replace(day=1).isoformat())
    if period is not None:
        conds.append("r.month <= %s")
        params.append(period.end.isoformat())
    filters, filter_params = _filter_sql(term)
    conds += filters
    params += filter_params
    measure = {"stock": "CASE WHEN r.basis = 'opened' THEN r.count ELSE -r.count END", "count": "r.count"}.get(
        term.kind, "r.amount")
    return (f"SUM(CASE WHEN {' AND '.join(conds)} THEN {measure} ELSE 0 END)" if conds else f"SUM({measure})"), params


def _rollup_where(roots: list[int], register: str, terms: list[TermKey]) -> tuple[str, list]:
    """FROM … WHERE shared by both query shapes: the roots' subtrees, one register, the months needed."""
    latest = max(p.end for _, p in terms).isoformat()
    earliest = (
        None if any(t.kind == "stock" or t.basis == "open" for t, _ in terms)
        else min(p.start for _, p in terms).replace(day=1).isoformat()
    )
    where = [f"c.ancestor_id IN ({', '.join(['%s'] * len(roots))})", "r.register = %s", "r.month <= %s"]
    params: list = [*roots, register, latest]
    if register_definition(register).rollup_fields:  # skip the rollup-field rows no term reads
        fields = sorted({_row_field(t) for t, _ in terms})
        where.append(f"r.field IN ({', '.join(['%s'] * len(fields))})")
        params += fields
    if earliest:
        where.append("r.month >= %s")
        params.append(earliest)
    return ("FROM registers_recordrollup r JOIN core_orgunitclosure c ON c.descendant_id = r.org_unit_id "
            f"WHERE {' AND '.join(where)}"), params


def _rollup_values(roots: list[int], terms: list[TermKey]) -> dict[tuple[int, TermKey], Decimal]:
    """One grouped query per register: a rollup row is then tested only against its own register's
    terms (one query for all registers tested every row against every term, which at 100 districts × 5
    years cost several times more, docs/benchmarks.md)."""
    if not terms or not roots:
        return {}
    by_register: dict[str, list[TermKey]] = {}
    for key in terms:
        by_register.setdefault(key[0].source, []).append(key)
    several_periods = len({period for _, period in terms}) > 1
    out: dict[tuple[int, TermKey], Decimal] = {}
    for register, register_terms in sorted(by_register.items()):
        if several_periods:
            out.update(_rollup_values_by_month(roots, register, register_terms))
        else:
            out.update(_rollup_values_one_period(roots, register, register_terms))
    return out


def _rollup_values_one_period(roots: list[int], register: str, terms: list[TermKey]) -> dict:
    """One period: one conditional sum per (term, period), grouped by root."""
    select, params = [], []
    for term, period in terms:
        sql, term_params = _term_sum_sql(term, period)
        select.append(sql)
        params += term_params
    source, where_params = _rollup_where(roots, register, terms)
    sql = f"SELECT c.ancestor_id, {', '.join(select)} {source} GROUP BY c.ancestor_id"
    out: dict[tuple[int, TermKey], Decimal] = {(root, key): Decimal(0) for root in roots for key in terms}
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        for row in cursor.fetchall():
            for i, key in enumerate(terms):
                out[(row[0], key)] = Decimal(str(row[i + 1] or 0))
    return out


def _rollup_values_by_month(roots: list[int], register: str, terms: list[TermKey]) -> dict:
    """Many periods (同比, trends, five years): grouped by (root, month) with one column per distinct
    term, so the query's cost does not grow with the number of periods; each period is then the
    difference of two running totals over the months (flows: the months inside it; stocks: every month
    up to its end). Measured 4–16× faster than one column per (term, period) for all districts × 5
    years (docs/benchmarks.md)."""
    distinct = sorted({term for term, _ in terms}, key=repr)
    select, params = [], []
    for term in distinct:
        sql, term_params = _term_sum_sql(term)
        select.append(sql)
        params += term_params
    source, where_params = _rollup_where(roots, register, terms)
    sql = (f"SELECT c.ancestor_id, r.month, {', '.join(select)} {source} "
           "GROUP BY c.ancestor_id, r.month ORDER BY c.ancestor_id, r.month")
    index = {term: i for i, term in enumerate(distinct)}
    # root → (months in order, running totals per term: totals[i][k] = sum of months[0..k-1])
    months_of: dict[int, list[str]] = {}
    totals_of: dict[int, list[list]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        for row in cursor.fetchall():
            root = row[0]
            if root not in months_of:
                months_of[root], totals_of[root] = [], [[0] for _ in distinct]
            months_of[root].append(str(row[1])[:10])
            for running, value in zip(totals_of[root], row[2:], strict=True):
                # counts come back as int (SQLite) or Decimal (PostgreSQL); amounts may be float on SQLite
                running.append(running[-1] + (value if isinstance(value, int | Decimal) else Decimal(str(value or 0))))
    out: dict[tuple[int, TermKey], Decimal] = {}
    for root in roots:
        months = months_of.get(root, [])
        totals = totals_of.get(root)
        for term, period in terms:
            if totals is None:
                out[(root, (term, period))] = Decimal(0)
                continue
            running = totals[index[term]]
            hi = bisect_right(months, period.end.isoformat())
            lo = 0 if term.kind == "stock" else bisect_left(months, period.start.replace(day=1).isoformat())
            out[(root, (term, period))] = Decimal(str(running[hi] - running[lo])) if hi > lo else Decimal(0)
    return out


def _distinct_values(roots: list[int], terms: list[TermKey]) -> dict[tuple[int, TermKey], Decimal]:
    """distinct(), per (term, period): the number of different values of a rollup field among the rows of
    each root's subtree that count() would read (basis=open: values still held by a record open at the
    period's end). Not additive over months, so one grouped query per (term, period)."""
    out: dict[tuple[int, TermKey], Decimal] = {}
    for term, period in terms:
        conds, params = _filter_sql(term)
        # the months: _rollup_where's, from the period's first (every month up to its end for basis=open)
        source, where_params = _rollup_where(roots, term.source, [(term, period)])
        if term.basis == "open":
            sql = (f"SELECT root, COUNT(*) FROM (SELECT c.ancestor_id AS root, r.value {source} "
                   f"AND {' AND '.join(conds)} GROUP BY c.ancestor_id, r.value "
                   "HAVING SUM(CASE WHEN r.basis = 'opened' THEN r.count ELSE -r.count END) > 0) open_values "
                   "GROUP BY root")
        else:
            conds.append("r.basis = %s")
            params.append(term.basis)
            sql = f"SELECT c.ancestor_id, COUNT(DISTINCT r.value) {source} AND {' AND '.join(conds)} GROUP BY c.ancestor_id"
        counts = dict.fromkeys(roots, Decimal(0))
        with connection.cursor() as cursor:
            cursor.execute(sql, where_params + params)
            for root, count in cursor.fetchall():
                counts[root] = Decimal(count)
        for root in roots:
            out[(root, (term, period))] = counts[root]
    return out


def _datavalue_values(roots: list[int], terms: list[TermKey]) -> dict[tuple[int, TermKey], Decimal | None]:
    if not terms:
        return {}
    out: dict[tuple[int, TermKey], Decimal | None] = {}
    by_period: dict[Period, list[Term]] = {}
    for term, period in terms:
        by_period.setdefault(period, []).append(term)
    for period, period_terms in by_period.items():
        queries = [
            DataValueQuery(t.source, t.element, {k: v[0] for k, v, _ in t.filters} or None) for t in period_terms
        ]
        totals = datavalue_totals(queries=queries, roots=roots, start=period.start, end=period.end)
        for root in roots:
            for i, term in enumerate(period_terms):
                out[(root, (term, period))] = totals.get((root, i))
    return out


def _round(value: Decimal | None, decimals: int, rounding: Rounding) -> Decimal | None:
    if value is None:
        return None
    mode = ROUND_DOWN if rounding == Rounding.TRUNCATE else ROUND_HALF_UP
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=mode)


class Evaluator:
    def __init__(self, reg: IndicatorRegistry, leaves: dict[tuple[int, TermKey], Decimal | None]):
        self.reg = reg
        self.leaves = leaves
        self.memo: dict[tuple[str, Period, int], tuple[Decimal | None, Decimal | None, Decimal | None]] = {}
        self.rankings: dict[tuple[str, Period, int], dict[int, int | None]] = {}

    def rank(self, code: str, period: Period, root: int) -> tuple[Decimal | None, Decimal | None]:
        """A rank indicator: the place of `root` among the units of its parent (competition ranking, as the
        ranking page shows it; None for a unit without a parent or left out of the ranking), and how many
        units were ranked."""
        from .comparisons import indicator_ranking  # comparisons is built on this module

        definition = self.reg.indicators[code].definition
        parent_id = OrgUnit.objects.filter(pk=root).values_list("parent_id", flat=True).first()
        if parent_id is None:
            return None, None
        key = (code, period, parent_id)
        if key not in self.rankings:
            node = self.reg.indicators[code].nodes["formula"]
            assert isinstance(node, Ref)  # the definition validator requires it
            rows = indicator_ranking(parent=OrgUnit.objects.get(pk=parent_id), period=period, code=node.code,
                                     per_population=definition.per_population, descending=definition.descending)
            self.rankings[key] = {row.unit.pk: row.rank for row in rows}
        places = self.rankings[key]
        place = places.get(root)
        return (None if place is None else Decimal(place)), Decimal(sum(p is not None for p in places.values()))

    def node(self, node: Node, period: Period, root: int) -> Decimal | None:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Term):
            return self.leaves.get((root, (node, period)), Decimal(0) if node.kind != "value" else None)
        if isinstance(node, Ref):
            return self.indicator(node.code, period, root)[0]
        if isinstance(node, Shift):
            return self.node(node.operand, _shift(period, node.years), root)
        if isinstance(node, Neg):
            value = self.node(node.operand, period, root)
            return None if value is None else -value
        assert isinstance(node, BinOp)
        left, right = self.node(node.left, period, root), self.node(node.right, period, root)
        if left is None or right is None:
            return None
        try:
            return {"+": left + right, "-": left - right, "*": left * right}[node.op] if node.op != "/" else left / right
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None

    def indicator(self, code: str, period: Period, root: int):
        key = (code, period, root)
        if key not in self.memo:
            loaded = self.reg.indicators[code]
            if loaded.definition.kind == "rate":
                num = self.node(loaded.nodes["numerator"], period, root)
                den = self.node(loaded.nodes["denominator"], period, root)
                value = None if num is None or not den else num / den * loaded.definition.scale
                self.memo[key] = (value, num, den)
            elif loaded.definition.kind == "rank":
                place, ranked = self.rank(code, period, root)
                self.memo[key] = (place, place, ranked)
            else:
                self.memo[key] = (self.node(loaded.nodes["formula"], period, root), None, None)
        return self.memo[key]


def indicator_evaluator(
    *, roots: list[int], requests: Iterable[tuple[str, Period]], extra_terms: Iterable[TermKey] = ()
) -> Evaluator:
    """Read every leaf the requests (and extra terms) need, in one rollup query and the data-value
    queries, and return an evaluator over those numbers."""
    reg = indicator_registry()
    _, terms = _needs(reg, requests)
    terms |= set(extra_terms)
    leaves: dict[tuple[int, TermKey], Decimal | None] = {}
    leaves.update(_rollup_values(roots, sorted((t for t in terms if t[0].kind in ("count", "sum", "stock")),
                                               key=repr)))
    leaves.update(_distinct_values(roots, sorted((t for t in terms if t[0].kind == "distinct"), key=repr)))
    leaves.update(_datavalue_values(roots, sorted((t for t in terms if t[0].kind == "value"), key=repr)))
    return Evaluator(reg, leaves)


def indicators_compute(
    *, units: list[OrgUnit], periods: list[Period], codes: list[str] | None = None
) -> dict[tuple[int, str, str], IndicatorValue]:
    """Values keyed by (org unit id, period code, indicator code)."""
    reg = indicator_registry()
    codes = list(reg.indicators) if codes is None else codes
    requests = [
        (code, period)
        for code in codes
        for period in periods
        if period.type in reg.indicators[code].definition.period_types
    ]
    evaluator = indicator_evaluator(roots=[u.pk for u in units], requests=requests)
    out: dict[tuple[int, str, str], IndicatorValue] = {}
    for unit in units:
        for code, period in requests:
            definition = reg.indicators[code].definition
            if unit.kind not in definition.levels:
                continue
            exact, num, den = evaluator.indicator(code, period, unit.pk)
            out[(unit.pk, period.code, code)] = IndicatorValue(
                code=code, name=definition.name, unit=definition.unit, kind=definition.kind, period=period,
                org_unit_id=unit.pk, org_unit_name=unit.name,
                value=_round(exact, definition.decimals, definition.rounding), exact=exact,
                numerator=num, denominator=den, version=reg.indicators[code].version,
            )
    return out
