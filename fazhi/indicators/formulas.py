"""The formula language of indicators, parsed with Python's `ast` (never evaluated by Python).

    count(people_mediation, basis=closed, outcome=success)     records (rollups), by month of basis
    sum(legal_aid, category=civil)                              amount sums of records
    sum(public_interest_litigation, field=heritage_signs)       sums of a number field other than the amount
    stock(community_correction, category=probation)             open at the end of the period
    distinct(inspection_findings, field=aspect)                 different values of a payload field among
                                                                the records count() would count (basis=open:
                                                                among records open at the period's end)
    value(legal_publicity.events, venue=school)                 aggregate data values
    mediation_cases                                             another indicator
    prev(mediation_cases)                                       the same, one year earlier
    yoy(mediation_cases)                                        同比 of an indicator, as comparisons.year_on_year
                                                                defines it (percent change; 个百分点 for a rate)
    + - * / ( ) and decimal numbers

Filters: status, outcome, category, a register's rollup dimensions, each `=code` or `=[a, b]`;
`key__not=` excludes. `basis` is opened (default) or closed.

`distinct(…, field=f)`, `sum(…, field=f)` and a filter `f=…` on a field that is not one of the two
rollup dimensions read the rollup rows a register keeps for each of its `rollup_fields` (one row per value).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import Decimal

from fazhi.core.errors import FazhiError

from .errors import IndicatorErrorCode


class FormulaError(FazhiError, ValueError):
    """A formula the language does not accept; `offset` is where, for the definition's file:line:column."""

    def __init__(self, code: IndicatorErrorCode, message: str, offset: int = 0):
        super().__init__(code, message, field="formula")
        self.offset = offset  # 0-based character offset in the formula


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class YearOnYearOf:
    """yoy(code): the 同比 of another indicator (comparisons.year_on_year)."""

    code: str


@dataclass(frozen=True)
class Shift:
    years: int
    operand: Node


@dataclass(frozen=True)
class Term:
    """A leaf that reads stored data: count/sum/stock over rollups, or value over data values."""

    kind: str  # count | sum | stock | value | distinct
    source: str  # register code, or dataset code for value
    element: str = ""  # data element, for value; payload field, for distinct and sum(field=…)
    basis: str = "opened"  # opened | closed; for distinct also open (open at the period's end)
    filters: tuple[tuple[str, tuple[str, ...], bool], ...] = field(default=())  # (key, values, negated)


Node = Num | Ref | Neg | BinOp | Shift | Term | YearOnYearOf

_ROLLUP_FUNCS = {"count", "sum", "stock"}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _code(node: ast.expr, what: str) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return "true" if node.value else "false"
    raise FormulaError(IndicatorErrorCode.FORMULA_ARGUMENT_INVALID, f"{what}应为代码", node.col_offset)


def _codes(node: ast.expr, what: str) -> tuple[str, ...]:
    if isinstance(node, ast.List | ast.Tuple):
        return tuple(_code(item, what) for item in node.elts)
    return (_code(node, what),)


def _convert(node: ast.expr) -> Node:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return Num(Decimal(str(node.value)))
    if isinstance(node, ast.Name):
        return Ref(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return Neg(_convert(node.operand))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return _convert(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return BinOp(_OPS[type(node.op)], _convert(node.left), _convert(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name == "prev":
            if len(node.args) != 1 or node.keywords:
                raise FormulaError(IndicatorErrorCode.FORMULA_ARGUMENT_INVALID, "prev() 只接受一个表达式", node.col_offset)
            return Shift(-1, _convert(node.args[0]))
        if name == "yoy":
            if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], ast.Name):
                raise FormulaError(IndicatorErrorCode.FORMULA_ARGUMENT_INVALID, "yoy() 只接受一个指标代码", node.col_offset)
            return YearOnYearOf(node.args[0].id)
        if name in _ROLLUP_FUNCS or name in ("value", "distinct"):
            return _term(name, node)
        raise FormulaError(IndicatorErrorCode.FORMULA_UNKNOWN_FUNCTION, f"未知的函数 {name}()；可用：count、sum、stock、distinct、value、prev、yoy", node.col_offset)
    raise FormulaError(IndicatorErrorCode.FORMULA_UNSUPPORTED, "不支持的写法：只能使用数字、指标代码、+ - * / 和 count/sum/stock/distinct/value/prev/yoy",
                       node.col_offset)


def _term(name: str, node: ast.Call) -> Term:
    if len(node.args) != 1:
        raise FormulaError(IndicatorErrorCode.FORMULA_ARGUMENT_INVALID, f"{name}() 的第一个参数应为{'数据项（数据集.数据项）' if name == 'value' else '登记簿代码'}",
                           node.col_offset)
    arg = node.args[0]
    if name == "value":
        if not (isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name)):
            raise FormulaError(IndicatorErrorCode.FORMULA_ARGUMENT_INVALID, "value() 的参数应写成 数据集代码.数据项代码", arg.col_offset)
        source, element = arg.value.id, arg.attr
    else:
        source, element = _code(arg, "登记簿"), ""
    basis = "opened"
    filters = []
    for kw in node.keywords:
        if kw.arg is None:
            raise FormulaError(IndicatorErrorCode.FORMULA_UNSUPPORTED, "不支持 ** 参数", node.col_offset)
        if kw.arg == "field" and name in ("distinct", "sum"):
            element = _code(kw.value, "field")
            continue
        if kw.arg == "basis":
            basis = _code(kw.value, "basis")
            allowed = ("opened", "closed", "open") if name == "distinct" else ("opened", "closed")
            if basis not in allowed or name in ("stock", "value"):
                raise FormulaError(IndicatorErrorCode.FORMULA_BASIS_INVALID, "basis 只能是 opened 或 closed（distinct 还可以是 open），且只用于 count/sum/distinct",
                                   kw.value.col_offset)
            continue
        key, negated = (kw.arg[:-5], True) if kw.arg.endswith("__not") else (kw.arg, False)
        filters.append((key, _codes(kw.value, key), negated))
    if name == "distinct" and not element:
        raise FormulaError(IndicatorErrorCode.FORMULA_FIELD_REQUIRED, "distinct() 需要 field=字段代码（统计该字段有多少个不同的值）", node.col_offset)
    return Term(name, source, element, basis, tuple(sorted(filters)))


def formula_parse(text: str) -> Node:
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(IndicatorErrorCode.FORMULA_SYNTAX, f"公式语法错误：{exc.msg}", max((exc.offset or 1) - 1, 0)) from None
    return _convert(tree.body)


def formula_refs(node: Node) -> set[str]:
    if isinstance(node, Ref | YearOnYearOf):
        return {node.code}
    if isinstance(node, Neg | Shift):
        return formula_refs(node.operand)
    if isinstance(node, BinOp):
        return formula_refs(node.left) | formula_refs(node.right)
    return set()


def formula_terms(node: Node, years: int = 0) -> list[tuple[Term, int]]:
    """Every leaf term with its year offset (0, or -1 inside prev())."""
    if isinstance(node, Term):
        return [(node, years)]
    if isinstance(node, Shift):
        return formula_terms(node.operand, years + node.years)
    if isinstance(node, Neg):
        return formula_terms(node.operand, years)
    if isinstance(node, BinOp):
        return formula_terms(node.left, years) + formula_terms(node.right, years)
    return []


def formula_shifted_refs(node: Node, years: int = 0) -> list[tuple[str, int]]:
    """Indicator references with their year offsets."""
    if isinstance(node, Ref):
        return [(node.code, years)]
    if isinstance(node, YearOnYearOf):  # this year's value and the year before's
        return [(node.code, years), (node.code, years - 1)]
    if isinstance(node, Shift):
        return formula_shifted_refs(node.operand, years + node.years)
    if isinstance(node, Neg):
        return formula_shifted_refs(node.operand, years)
    if isinstance(node, BinOp):
        return formula_shifted_refs(node.left, years) + formula_shifted_refs(node.right, years)
    return []
