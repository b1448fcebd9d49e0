"""Indicators, rule sides and formula terms in words, for people: the pages never print a formula.

`count(people_mediation, basis=closed, outcome=success)` reads 人民调解登记簿按办结时间统计、结果为调解成功的件数.
An indicator's own 口径说明 (`description`) comes first; the words built from its formula are the fallback.
"""

from __future__ import annotations

from fazhi.datasets.registry import dataset_element
from fazhi.datasets.registry import registry as dataset_registry
from fazhi.registers.registry import UnknownRegister, register_definition

from .definitions import IndicatorDef
from .formulas import BinOp, Neg, Node, Num, Ref, Shift, Term, YearOnYearOf, formula_parse
from .registry import UnknownIndicator, indicator

_BASIS = {"opened": "按受理时间统计", "closed": "按办结时间统计", "open": "期末仍在办的"}
_OPS = {"+": "加", "-": "减", "*": "乘以", "/": "除以"}


def _filter_words(term: Term) -> list[str]:
    try:
        definition = register_definition(term.source)
    except UnknownRegister:
        return []
    words = []
    for key, values, negated in term.filters:
        if key == "status":
            field_name, names = "状态", [definition.status_name(v) for v in values]
        elif key == "outcome":
            field_name, names = "结果", [definition.outcome_name(v) for v in values]
        else:
            field = definition.field(key) if key != "category" else next(
                (f for f in definition.fields if f.column == "category"), None)
            field_name = field.name if field else "分类"
            choices = (field.choices or {}) if field else {}
            names = [{"true": "是", "false": "否"}.get(v, choices.get(v, v)) for v in values]
        words.append(f"{field_name}{'不' if negated else ''}为{'或'.join(names)}")
    return words


def term_words(term: Term) -> str:
    """One leaf of a formula in words."""
    if term.kind == "value":
        loaded = dataset_registry().datasets.get(term.source)
        element = dataset_element(term.source, term.element)
        dataset_name = loaded.definition.name if loaded else term.source
        return f"{dataset_name}填报的“{element.name if element else term.element}”"
    try:
        definition = register_definition(term.source)
    except UnknownRegister:
        return term.source
    filters = _filter_words(term)
    field = definition.field(term.element) if term.element else None
    what = {"count": "件数", "stock": "期末在办件数",
            "sum": f"{field.name}合计" if field else "金额合计",
            "distinct": f"不同{field.name if field else term.element}的个数"}[term.kind]
    basis = "" if term.kind == "stock" else _BASIS.get(term.basis, "")
    qualifiers = "、".join([b for b in [basis] if b] + filters)
    return f"{definition.name}{qualifiers + '的' if qualifiers else ''}{what}"


def _indicator_name(code: str) -> str:
    try:
        return indicator(code).definition.name
    except UnknownIndicator:
        return code


def node_words(node: Node) -> str:
    """A formula (or a rule side) in words."""
    if isinstance(node, Num):
        return f"{node.value.normalize():f}"
    if isinstance(node, Ref):
        return _indicator_name(node.code)
    if isinstance(node, YearOnYearOf):
        return f"{_indicator_name(node.code)}同比"
    if isinstance(node, Term):
        return term_words(node)
    if isinstance(node, Shift):
        return f"上年{node_words(node.operand)}"
    if isinstance(node, Neg):
        return f"负的{node_words(node.operand)}"
    assert isinstance(node, BinOp)
    return f"{node_words(node.left)}{_OPS[node.op]}{node_words(node.right)}"


def indicator_description(definition: IndicatorDef) -> str:
    """口径说明 for the pages: the definition's own, else its formula in words (never the formula)."""
    if definition.description:
        return definition.description
    if definition.kind == "rate":
        numerator = node_words(formula_parse(definition.numerator or ""))
        denominator = node_words(formula_parse(definition.denominator or ""))
        scale = "百分比" if definition.scale == 100 else f"每{definition.scale}"
        return f"{numerator}占{denominator}的{scale}"
    if definition.kind == "rank":
        return f"{node_words(formula_parse(definition.formula or ''))}在上级单位所属同类单位中的名次"
    return node_words(formula_parse(definition.formula or ""))
