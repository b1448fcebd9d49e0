"""The records behind a figure: for each rollup term an indicator reads, the records it counts, so a
figure in the report can be traced to the cases that make it (DESIGN §6: every figure traceable).

Reads records through registers.selectors.records_visible (the user's jurisdiction only) and applies
the same keys the rollups use (opening or closing month, status, outcome, category, dimensions), so the
number of records listed equals the term's value for a reader who sees the whole unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi.core.access import ActingUser
from fazhi.core.models import OrgUnit, OrgUnitClosure
from fazhi.core.periods import Period
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.registers.rollups import dimension_value
from fazhi.registers.selectors import records_visible

from .descriptions import term_words
from .formulas import Node, Term, formula_shifted_refs, formula_terms
from .registry import LoadedIndicator, indicator_registry

MAX_LISTED = 500  # a page lists at most this many; the count is always complete


@dataclass
class TermRecords:
    role: str  # "formula", "numerator" or "denominator"
    term: Term
    years: int  # 0, or -1 inside prev()
    count: int
    records: list[Record]  # the first MAX_LISTED (a page replaces them with the page it shows)
    ids: list[int] = field(default_factory=list)  # every record the term counts, in order

    @property
    def words(self) -> str:
        """The term as people read it (descriptions.term_words); `description` is the formula text."""
        return ("上年" if self.years else "") + term_words(self.term)

    @property
    def role_name(self) -> str:
        return {"numerator": "分子", "denominator": "分母"}.get(self.role, "统计项")

    @property
    def description(self) -> str:
        parts = [f"{self.term.kind}({self.term.source}"]
        if self.term.element:
            parts.append(f"field={self.term.element}")
        if self.term.kind != "stock":
            parts.append(f"basis={self.term.basis}")
        parts += [f"{key}{'!=' if negated else '='}{'|'.join(values)}" for key, values, negated in self.term.filters]
        return ", ".join(parts) + ")" + (" 上年度" if self.years else "")


def term_record_ids(*, user: ActingUser, term: Term, unit: OrgUnit, period: Period) -> tuple[int, list[int]]:
    """(the term's value as the records give it, the ids of every record it counts, by opening date): what a
    page of the drill-down and its full export list."""
    definition = register_definition(term.source)
    queryset = records_visible(user, register=term.source).filter(
        org_unit__in=OrgUnitClosure.objects.filter(ancestor=unit).values("descendant_id"))
    if term.kind == "stock" or term.basis == "open":  # opened by the period's end and not closed by then
        queryset = queryset.filter(opened_on__lte=period.end).exclude(closed_on__lte=period.end)
    else:
        field = "opened_on" if term.basis == "opened" else "closed_on"
        start = period.start.replace(day=1)  # rollups are monthly: a period starts with its first month
        queryset = queryset.filter(**{f"{field}__gte": start, f"{field}__lte": period.end})
    # filters on payload fields: the rollup dimensions and rollup fields
    dims = set(definition.rollup_dimensions) | set(definition.rollup_fields)
    payload_filters = []
    for key, values, negated in term.filters:
        if key in ("status", "outcome", "category"):
            lookup = {f"{key}__in": list(values)}
            queryset = queryset.exclude(**lookup) if negated else queryset.filter(**lookup)
        else:
            payload_filters.append((key, set(values), negated))
    ids: list[int] = []
    distinct: set[str] = set()
    for pk, payload in queryset.order_by("opened_on", "pk").values_list("pk", "payload").iterator():
        if all((dimension_value(payload.get(key)) in values) != negated
               for key, values, negated in payload_filters if key in dims):
            ids.append(pk)
            if term.kind == "distinct":  # the figure is the number of different values among these records
                distinct.add(dimension_value(payload.get(term.element)))
    return (len(distinct - {""}) if term.kind == "distinct" else len(ids)), ids


def records_by_ids(ids: list[int]) -> list[Record]:
    """The records of `ids` in that order (a page of a drill-down)."""
    found = Record.objects.select_related("org_unit").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def term_records(*, user: ActingUser, term: Term, unit: OrgUnit, period: Period) -> tuple[int, list[Record]]:
    """(how many records the term counts for the unit's subtree and period, the first MAX_LISTED)."""
    count, ids = term_record_ids(user=user, term=term, unit=unit, period=period)
    return count, records_by_ids(ids[:MAX_LISTED])


def _leaf_terms(node: Node, years: int = 0, seen: frozenset[str] = frozenset()) -> list[tuple[Term, int]]:
    """The terms of a formula, following references to other indicators (a rate's numerator is
    usually another indicator) with their year offsets."""
    out = list(formula_terms(node, years))
    for code, ref_years in formula_shifted_refs(node, years):
        if code in seen:
            continue
        for ref_node in indicator_registry().indicators[code].nodes.values():
            out += _leaf_terms(ref_node, ref_years, seen | {code})
    return out


def indicator_records(*, user: ActingUser, loaded: LoadedIndicator, unit: OrgUnit, period: Period
                      ) -> list[TermRecords]:
    """Every rollup term the indicator reads, directly or through the indicators it refers to, with the ids
    of all its records and the first MAX_LISTED of them loaded."""
    out = []
    for role, node in loaded.nodes.items():
        for term, years in _leaf_terms(node):
            if term.kind == "value":
                continue  # data values are aggregates entered by units: no records behind them
            term_period = period.shifted_years(years) if years else period
            count, ids = term_record_ids(user=user, term=term, unit=unit, period=term_period)
            out.append(TermRecords(role, term, years, count, records_by_ids(ids[:MAX_LISTED]), ids))
    return out
