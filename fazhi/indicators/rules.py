"""Validation rules: `left op right` per unit and period, saying which side is off."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from enum import StrEnum

from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period

from .descriptions import node_words
from .engine import Evaluator, TermKey, indicator_evaluator
from .formulas import BinOp, Neg, Node, Num, Ref, formula_shifted_refs, formula_terms
from .registry import indicator_registry

_OPS = {"<=": operator.le, "<": operator.lt, "=": operator.eq, ">=": operator.ge, ">": operator.gt, "!=": operator.ne}


class RuleOutcome(StrEnum):
    PASSED = "passed"  # 通过
    VIOLATED = "violated"  # 不通过
    MISSING = "missing"  # 缺少数据，无法判断（不算违反）


@dataclass(frozen=True)
class RuleResult:
    code: str
    name: str
    importance: str
    org_unit: OrgUnit
    period: Period
    left: Decimal | None
    op: str
    right: Decimal | None
    outcome: RuleOutcome

    @property
    def message(self) -> str:
        """In words, naming the figures (调解成功数为1296，受理数为1295，调解成功数应不超过受理数), never a formula."""
        where = f"{self.org_unit.name}{self.period.label}“{self.name}”"
        rule = indicator_registry().rules.get(self.code)
        left_words = node_words(rule.left) if rule else "左侧数值"
        right_words = node_words(rule.right) if rule else "右侧数值"
        if self.outcome == RuleOutcome.MISSING:
            lacking = "、".join(words for words, value in ((left_words, self.left), (right_words, self.right))
                               if value is None)
            return f"{where}无法核对：{lacking}暂无数据"
        if self.outcome == RuleOutcome.PASSED:
            return f"{where}：通过"
        if rule is not None and isinstance(rule.right, Num):  # 受理件数为1，应不少于3
            return f"{where}不成立：{left_words}为{_number(self.left)}，应{_OP_WORDS[self.op]}{right_words}"
        return (f"{where}不成立：{left_words}为{_number(self.left)}，{right_words}为{_number(self.right)}，"
                f"{left_words}应{_OP_WORDS[self.op]}{right_words}")


_OP_WORDS = {"<=": "不超过", "<": "小于", "=": "等于", ">=": "不少于", ">": "大于", "!=": "不等于"}


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = Decimal(value)  # a snapshot's figure may arrive as an int
    return f"{value.quantize(Decimal(1)):f}" if value == value.to_integral_value() else \
        f"{value.quantize(Decimal('0.01')).normalize():f}"


def rule_needs(period: Period, codes: list[str] | None = None) -> tuple[set[tuple[str, Period]], set[TermKey]]:
    """The indicator requests and the terms the rules' two sides read for `period` (to give
    `indicator_evaluator`, alone or with a page's other requests)."""
    reg = indicator_registry()
    requests: set[tuple[str, Period]] = set()
    extra_terms: set[TermKey] = set()
    for code, rule in reg.rules.items():
        if codes is not None and code not in codes:
            continue
        for node in (rule.left, rule.right):
            for ref, years in formula_shifted_refs(node):
                requests.add((ref, period if years == 0 else period.shifted_years(years)))
            for term, years in formula_terms(node):
                extra_terms.add((term, period if years == 0 else period.shifted_years(years)))
    return requests, extra_terms


def rules_check(*, units: list[OrgUnit], period: Period, codes: list[str] | None = None,
                evaluator: Evaluator | None = None) -> list[RuleResult]:
    """Every rule for every unit of its levels. With `evaluator` (an `indicator_evaluator` for these units
    that read at least `rule_needs(period, codes)`), nothing more is read."""
    reg = indicator_registry()
    rules = [r for code, r in reg.rules.items() if codes is None or code in codes]
    if evaluator is None:
        # Rules reuse the engine: refs and terms of both sides are gathered and read in one pass.
        requests, extra_terms = rule_needs(period, codes)
        evaluator = indicator_evaluator(roots=[u.pk for u in units], requests=requests, extra_terms=extra_terms)
    results = []
    for unit in units:
        for rule in rules:
            if unit.kind not in rule.definition.levels:
                continue
            left = evaluator.node(rule.left, period, unit.pk)
            right = evaluator.node(rule.right, period, unit.pk)
            if left is None or right is None:
                outcome = RuleOutcome.MISSING
            else:
                outcome = RuleOutcome.PASSED if _OPS[rule.definition.op](left, right) else RuleOutcome.VIOLATED
            results.append(RuleResult(rule.definition.code, rule.definition.name, rule.definition.importance,
                                      unit, period, left, rule.definition.op, right, outcome))
    return results


def _over_values(node: Node, values: Mapping[str, Decimal | None]) -> Decimal | None:
    """A rule side over given indicator values; raw data (count(…), value(…)) and other years (prev(…))
    are not among them, so a side that needs them has no value."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return values.get(node.code)
    if isinstance(node, Neg):
        value = _over_values(node.operand, values)
        return None if value is None else -value
    if isinstance(node, BinOp):
        left, right = _over_values(node.left, values), _over_values(node.right, values)
        if left is None or right is None:
            return None
        try:
            return {"+": left + right, "-": left - right, "*": left * right}[node.op] if node.op != "/" else left / right
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None
    return None  # Term, Shift


def rules_check_values(*, unit: OrgUnit, period: Period, values: Mapping[str, Decimal | None],
                       codes: list[str] | None = None) -> list[RuleResult]:
    """The rules over the indicator values of one unit and period as given, e.g. a frozen snapshot's:
    the report gate checks the figures the report printed, not what the rollups say since. A rule whose
    side reads what the values do not hold (raw data, another year) is MISSING, never violated."""
    reg = indicator_registry()
    results = []
    for code, rule in reg.rules.items():
        if (codes is not None and code not in codes) or unit.kind not in rule.definition.levels:
            continue
        left, right = _over_values(rule.left, values), _over_values(rule.right, values)
        if left is None or right is None:
            outcome = RuleOutcome.MISSING
        else:
            outcome = RuleOutcome.PASSED if _OPS[rule.definition.op](left, right) else RuleOutcome.VIOLATED
        results.append(RuleResult(rule.definition.code, rule.definition.name, rule.definition.importance,
                                  unit, period, left, rule.definition.op, right, outcome))
    return results
