"""Computes indicators for org units and periods from rollups and data values.

The rollup terms of all requested indicators, units and periods become `RollupQuery` values that the
registers app answers (`registers.rollup_reads.rollup_totals`: one grouped SQL query per register, grouped
by root unit; a distinct term one query per term and period); data values come from the data sets app in
one grouped query per period. Formulas are then evaluated on those few numbers in Python. This module
never names a table or a rollup column, and never reads raw records. Rank indicators are a second pass:
the ranked indicator for every sibling of the units asked, in one more computation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period
from fazhi.datasets.selectors import DataValueQuery, datavalue_totals
from fazhi.registers.rollup_reads import RollupQuery, rollup_totals

from .comparisons import rank_family, rank_rows, year_on_year
from .definitions import Rounding
from .formulas import (
    BinOp,
    Neg,
    Node,
    Num,
    Ref,
    Shift,
    Term,
    YearOnYearOf,
    formula_shifted_refs,
    formula_terms,
)
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
    # False when none of the registers and data sets the indicator reads has anything for the unit and
    # period (no record opened, closed or open, no value entered): pages say 暂无数据 and rankings leave
    # the unit out, instead of showing a misleading 0. `value` itself is unchanged (reports, snapshots).
    has_data: bool = True

    def as_dict(self) -> dict[str, object]:
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
            "has_data": self.has_data,
        }


TermKey = tuple[Term, Period]


def _shift(period: Period, years: int) -> Period:
    return period if years == 0 else period.shifted_years(years)


def _needs(reg: IndicatorRegistry, requests: Iterable[tuple[str, Period]]) -> tuple[set[tuple[str, Period]], set[TermKey]]:
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


_MEASURES = {"count": "count", "sum": "amount", "stock": "stock", "distinct": "distinct"}


def _rollup_query(term: Term, period: Period) -> RollupQuery:
    """A rollup term of a formula for one period, as the registers app's rollup reads take it."""
    return RollupQuery(register=term.source, end=period.end, measure=_MEASURES[term.kind], start=period.start,  # type: ignore[arg-type]
                       basis=term.basis, field=term.element, filters=term.filters)


def _activity_terms(term: Term) -> list[Term]:
    """The terms telling whether a unit has anything in a term's register: records opened or closed in
    the period, and for a stock term also records still open at its end (an old open case is no data for
    a count of the year's cases). A data-value term is its own evidence (None when nothing was entered)."""
    if term.kind == "value":
        return [term]
    flows = [Term("count", term.source, basis="opened"), Term("count", term.source, basis="closed")]
    return [*flows, Term("stock", term.source)] if term.kind == "stock" else flows


def _rollup_values(roots: list[int], terms: list[TermKey]) -> dict[tuple[int, TermKey], Decimal]:
    """count/sum/stock/distinct terms, read by the registers app (one grouped query per register for the
    additive terms, one per distinct term: fazhi/registers/rollup_reads.py)."""
    if not terms or not roots:
        return {}
    queries = {key: _rollup_query(*key) for key in terms}
    totals = rollup_totals(roots=roots, queries=queries.values())
    return {(root, key): totals[(root, query)] for key, query in queries.items() for root in roots}


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
    """Evaluates formulas on the leaves read in advance; `places` holds every rank the requests need,
    computed by the second pass of `indicator_evaluator`."""

    def __init__(self, reg: IndicatorRegistry, leaves: dict[tuple[int, TermKey], Decimal | None],
                 places: dict[tuple[str, Period, int], tuple[Decimal | None, Decimal | None]] | None = None):
        self.reg = reg
        self.leaves = leaves
        self.places = places or {}
        self.memo: dict[tuple[str, Period, int], tuple[Decimal | None, Decimal | None, Decimal | None]] = {}
        self.presence: dict[tuple[str, Period, int], bool] = {}

    def has_data(self, code: str, period: Period, root: int) -> bool:
        """Whether the unit has anything behind the indicator in the period (IndicatorValue.has_data):
        activity in a register one of its terms reads, a value entered, or a place in a ranking. Needs the
        activity terms, which `indicator_evaluator` reads for every request."""
        key = (code, period, root)
        if key not in self.presence:
            self.presence[key] = False  # a guard against reference cycles (the validator forbids them)
            loaded = self.reg.indicators[code]
            if loaded.definition.kind == "rank":
                found = self.rank(code, period, root)[0] is not None
            else:
                found = any(self._node_has_data(node, period, root) for node in loaded.nodes.values())
            self.presence[key] = found
        return self.presence[key]

    def _node_has_data(self, node: Node, period: Period, root: int) -> bool:
        if isinstance(node, Term):
            return self._term_has_data(node, period, root)
        if isinstance(node, Ref):
            return self.has_data(node.code, period, root)
        if isinstance(node, YearOnYearOf):  # a change needs both years (else it would read −100%)
            return self.has_data(node.code, period, root) and self.has_data(node.code, _shift(period, -1), root)
        if isinstance(node, Shift):
            return self._node_has_data(node.operand, _shift(period, node.years), root)
        if isinstance(node, Neg):
            return self._node_has_data(node.operand, period, root)
        if isinstance(node, BinOp):
            return self._node_has_data(node.left, period, root) or self._node_has_data(node.right, period, root)
        return False  # a number

    def _term_has_data(self, term: Term, period: Period, root: int) -> bool:
        if term.kind == "value":
            return self.leaves.get((root, (term, period))) is not None
        return any(self.leaves.get((root, (t, period))) for t in _activity_terms(term))

    def rank(self, code: str, period: Period, root: int) -> tuple[Decimal | None, Decimal | None]:
        """A rank indicator: the place of `root` among the units of its parent and how many units were
        ranked ((None, None) for a unit without a parent)."""
        return self.places.get((code, period, root), (None, None))

    def node(self, node: Node, period: Period, root: int) -> Decimal | None:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Term):
            return self.leaves.get((root, (node, period)), Decimal(0) if node.kind != "value" else None)
        if isinstance(node, Ref):
            return self.indicator(node.code, period, root)[0]
        if isinstance(node, YearOnYearOf):
            rate = self.reg.indicators[node.code].definition.kind == "rate"
            return year_on_year(self.indicator(node.code, period, root)[0],
                                self.indicator(node.code, _shift(period, -1), root)[0], rate=rate)
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

    def indicator(self, code: str, period: Period, root: int) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
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


def _ranked_code(reg: IndicatorRegistry, code: str) -> str:
    node = reg.indicators[code].nodes["formula"]
    assert isinstance(node, Ref)  # the definition validator requires it
    return node.code


def _rank_places(reg: IndicatorRegistry, roots: list[int], rank_pairs: list[tuple[str, Period]]
                 ) -> dict[tuple[str, Period, int], tuple[Decimal | None, Decimal | None]]:
    """The second pass for rank indicators: the ranked indicators of every sibling of the roots (the
    children of their parents), computed in one more engine pass (one grouped query per register for all
    parents, periods and ranks), then ranked as the ranking page ranks them (comparisons.rank_rows)."""
    if not rank_pairs or not roots:
        return {}
    of_root = {pk: (parent, rank_family(kind)) for pk, parent, kind in
               OrgUnit.objects.filter(pk__in=roots).values_list("pk", "parent_id", "kind")}
    parents = sorted({p for p, _ in of_root.values() if p is not None})
    if not parents:
        return {}
    children = list(OrgUnit.objects.filter(parent_id__in=parents).order_by("pk"))
    requests = sorted({(_ranked_code(reg, code), period) for code, period in rank_pairs
                       if period.type in reg.indicators[_ranked_code(reg, code)].definition.period_types},
                      key=lambda pair: (pair[0], pair[1].code))
    values = _indicator_values(reg, children, requests) if requests else {}
    out: dict[tuple[str, Period, int], tuple[Decimal | None, Decimal | None]] = {}
    for code, period in rank_pairs:
        definition = reg.indicators[code].definition
        ranked = reg.indicators[_ranked_code(reg, code)].definition
        # A unit is ranked among the siblings of its own kind (towns and streets among each other, never
        # with the departments), as the ranking page does.
        for parent, family in sorted({v for v in of_root.values() if v[0] is not None}):
            siblings = [c for c in children if c.parent_id == parent and c.kind in ranked.levels
                        and rank_family(c.kind) == family]
            rows = rank_rows(siblings, {c.pk: _with_data(values.get((c.pk, period.code, ranked.code)))
                                        for c in siblings},
                             min_count=ranked.min_count, per_population=definition.per_population,
                             descending=definition.descending)
            places = {row.unit.pk: row.rank for row in rows}
            count = Decimal(sum(p is not None for p in places.values()))
            for root in roots:
                if of_root.get(root) == (parent, family):
                    place = places.get(root)
                    out[(code, period, root)] = (None if place is None else Decimal(place)), count
    return out


def _with_data(value: IndicatorValue | None) -> IndicatorValue | None:
    """A value to rank: units with nothing behind the figure are not ranked (not all first at 0)."""
    return value if value is not None and value.has_data else None


def indicator_evaluator(
    *, roots: list[int], requests: Iterable[tuple[str, Period]], extra_terms: Iterable[TermKey] = ()
) -> Evaluator:
    """Read every leaf the requests (and extra terms) need, in one rollup query per register and the
    data-value queries, rank what the ranks need in a second pass, and return an evaluator over those
    numbers."""
    reg = indicator_registry()
    pairs, terms = _needs(reg, requests)
    terms |= set(extra_terms)
    terms |= {(activity, period) for term, period in terms for activity in _activity_terms(term)}
    leaves: dict[tuple[int, TermKey], Decimal | None] = {}
    leaves.update(_rollup_values(roots, sorted((t for t in terms if t[0].kind != "value"), key=repr)))
    leaves.update(_datavalue_values(roots, sorted((t for t in terms if t[0].kind == "value"), key=repr)))
    rank_pairs = sorted(((c, p) for c, p in pairs if reg.indicators[c].definition.kind == "rank"),
                        key=lambda pair: (pair[0], pair[1].code))
    return Evaluator(reg, leaves, _rank_places(reg, roots, rank_pairs))


def _indicator_values(reg: IndicatorRegistry, units: list[OrgUnit], requests: list[tuple[str, Period]],
                      evaluator: Evaluator | None = None) -> dict[tuple[int, str, str], IndicatorValue]:
    """The requested values of the units, from `evaluator` (which must have read at least what the requests
    need, e.g. `indicator_evaluator` with more requests or extra terms) or from a new one."""
    if evaluator is None:
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
                has_data=evaluator.has_data(code, period, unit.pk),
            )
    return out


def indicator_requests(periods: list[Period], codes: list[str] | None = None) -> list[tuple[str, Period]]:
    """The (indicator, period) pairs `indicators_compute` answers for these periods (and codes)."""
    reg = indicator_registry()
    codes = list(reg.indicators) if codes is None else codes
    return [
        (code, period)
        for code in codes
        for period in periods
        if period.type in reg.indicators[code].definition.period_types
    ]


def indicators_compute(
    *, units: list[OrgUnit], periods: list[Period], codes: list[str] | None = None,
    evaluator: Evaluator | None = None,
) -> dict[tuple[int, str, str], IndicatorValue]:
    """Values keyed by (org unit id, period code, indicator code). With `evaluator` (an
    `indicator_evaluator` for these units whose requests include `indicator_requests(periods, codes)`),
    nothing more is read: a page computing values and rules together reads the rollups once."""
    return _indicator_values(indicator_registry(), units, indicator_requests(periods, codes), evaluator)
