"""Typed schema of indicator files (lines/<code>/indicators.yaml): indicators and validation rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fazhi.core.models import OrgUnitKind
from fazhi.core.periods import PeriodType
from fazhi.registers.definitions import FieldDef, RecordColumn, RegisterDefinition

from .formulas import FormulaError, Node, Ref, Term, formula_parse, formula_refs, formula_terms

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"


class Rounding(StrEnum):
    ROUND = "round"  # 四舍五入
    TRUNCATE = "truncate"  # 截尾: reports often print 4122/4125 as 99%


class Importance(StrEnum):
    ERROR = "error"  # 错误: the figures cannot both be right
    WARNING = "warning"  # 提示: worth a look


def _formula_text(value: object) -> object:
    """YAML reads `right: 3` as a number; a formula is text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    description: str = ""  # 口径说明
    unit: str  # 件/次/人/人次/元/万元/%/个 …
    kind: Literal["number", "rate", "rank"] = "number"  # rank: the unit's place among its parent's units
    formula: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: int = 100  # a rate is numerator / denominator × scale
    decimals: int = Field(default=0, ge=0, le=6)
    rounding: Rounding = Rounding.ROUND
    period_types: list[PeriodType] = [PeriodType.YEAR, PeriodType.QUARTER, PeriodType.MONTH, PeriodType.YEAR_TO_DATE]
    levels: list[OrgUnitKind] = [OrgUnitKind.DISTRICT, OrgUnitKind.TOWN, OrgUnitKind.STREET, OrgUnitKind.DEPARTMENT,
                                 OrgUnitKind.OFFICE, OrgUnitKind.CITY, OrgUnitKind.PROVINCE]
    min_count: int = 0  # rankings leave out units below this count (the denominator for rates)
    per_population: bool = False  # rank only: rank the indicator per 100,000 residents (十万人口…比)
    descending: bool = True  # rank only: the largest value is first

    _formulas_as_text = field_validator("formula", "numerator", "denominator", mode="before")(_formula_text)

    @model_validator(mode="after")
    def _shape(self) -> IndicatorDef:
        if self.kind == "rate":
            if not (self.numerator and self.denominator) or self.formula:
                raise ValueError(f"比率指标 {self.code} 须写 numerator 和 denominator，不写 formula")
        elif not self.formula or self.numerator or self.denominator:
            raise ValueError(f"指标 {self.code} 须写 formula")
        return self

    def formulas(self) -> dict[str, str]:
        if self.kind == "rate":
            return {"numerator": self.numerator or "", "denominator": self.denominator or ""}
        return {"formula": self.formula or ""}


class RuleDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    left: str
    op: Literal["<=", "<", "=", ">=", ">", "!="]
    right: str
    importance: Importance = Importance.ERROR

    _sides_as_text = field_validator("left", "right", mode="before")(_formula_text)

    levels: list[OrgUnitKind] = [OrgUnitKind.DISTRICT, OrgUnitKind.TOWN, OrgUnitKind.STREET, OrgUnitKind.DEPARTMENT,
                                 OrgUnitKind.OFFICE, OrgUnitKind.CITY, OrgUnitKind.PROVINCE]


class IndicatorFile(Strict):
    kind: Literal["indicators"] = "indicators"
    version: int = Field(default=1, ge=1)
    indicators: list[IndicatorDef] = []
    rules: list[RuleDef] = []


Problem = tuple[tuple[str | int, ...], str]
Where = tuple[str | int, ...]  # a path into the YAML file, for file:line:column
Registers = Mapping[str, RegisterDefinition]
DatasetElement = Callable[[str, str], object]  # datasets.registry.dataset_element: the element or None


def _allowed_values(field: FieldDef | None) -> set[str] | None:
    """The values a filter on a payload field may name: true/false, a choice's codes, or any (None)."""
    assert field is not None  # rollup dimensions are defined fields (register check); other callers test it
    if field.type == "bool":
        return {"true", "false"}
    return set(field.choices or {}) if field.type == "choice" else None


def _term_problems(term: Term, where: Where, registers: Registers, datasets: DatasetElement) -> list[Problem]:
    """Check a term against the register (or data set) it reads."""
    if term.kind == "value":
        element = datasets(term.source, term.element)
        return [] if element else [(where, f"没有数据项 {term.source}.{term.element}")]
    definition = registers.get(term.source)
    if definition is None:
        return [(where, f"没有代码为 {term.source} 的登记簿")]
    problems: list[Problem] = []
    category = definition.column_field(RecordColumn.CATEGORY)
    allowed: dict[str, set[str] | None] = {
        "status": {s.code for s in definition.statuses},
        "outcome": {o.code for o in definition.outcomes},
        "category": set(category.choices or {}) if category else set(),
    }
    for code in definition.rollup_dimensions:
        allowed[code] = _allowed_values(definition.field(code))
    # A rollup field can be counted (distinct), added up (sum) or filtered on: one per term, since the
    # rollups keep one row per value of one field.
    row_fields = [key for key, _, _ in term.filters
                  if key in definition.rollup_fields and key not in definition.rollup_dimensions]
    if term.element and term.kind in ("distinct", "sum"):
        field = definition.field(term.element)
        if field is None:
            problems.append((where, f"{term.source} 没有字段 {term.element}（{term.kind} 的 field）"))
        elif term.element not in definition.rollup_fields:
            problems.append((where, f"{term.source} 的字段 {term.element} 须列入登记簿的 rollup_fields 才能统计"))
        elif term.kind == "sum" and field.type not in ("int", "decimal", "money"):
            problems.append((where, f"{term.source} 的字段 {term.element} 不是数字，不能求和"))
        row_fields.append(term.element)
    if len(row_fields) > 1:
        problems.append((where, f"一个统计项只能用一个汇总字段（{'、'.join(row_fields)}）"))
    for code in row_fields:
        if code != term.element and definition.field(code) is not None:
            allowed[code] = _allowed_values(definition.field(code))
    if term.kind == "stock":
        allowed.pop("status")
        allowed.pop("outcome")
    for key, values, _ in term.filters:
        if key not in allowed:
            problems.append((where, f"{term.source} 不能按 {key} 筛选；可用：{'、'.join(sorted(allowed))}"))
            continue
        choices = allowed[key]
        if choices is None:  # a text or number rollup field: any value
            continue
        bad = [v for v in values if v not in choices]
        if bad:
            problems.append((where, f"{term.source} 的 {key} 没有取值 {'、'.join(bad)}"))
    return problems


def indicator_file_problems(parsed: IndicatorFile, *, registers: Registers, datasets: DatasetElement,
                            known: set[str]) -> list[Problem]:
    """Formula syntax, references to registers/data sets/indicators; `known` = every indicator code."""
    problems: list[Problem] = []
    for i, ind in enumerate(parsed.indicators):
        for key, text in ind.formulas().items():
            where = ("indicators", i, key)
            try:
                node = formula_parse(text)
            except FormulaError as exc:
                problems.append((where, f"第{exc.offset + 1}个字符：{exc.message}"))
                continue
            if ind.kind == "rank" and not isinstance(node, Ref):
                problems.append((where, "排名指标的 formula 只能是被排名的指标代码"))
            problems += _node_problems(node, where, registers, datasets, known)
    for i, rule in enumerate(parsed.rules):
        for key in ("left", "right"):
            where = ("rules", i, key)
            try:
                node = formula_parse(getattr(rule, key))
            except FormulaError as exc:
                problems.append((where, f"第{exc.offset + 1}个字符：{exc.message}"))
                continue
            problems += _node_problems(node, where, registers, datasets, known)
    return problems


def _node_problems(node: Node, where: Where, registers: Registers, datasets: DatasetElement,
                   known: set[str]) -> list[Problem]:
    problems = [(where, f"未知的指标 {ref}") for ref in sorted(formula_refs(node) - known)]
    for term, _ in formula_terms(node):
        problems += _term_problems(term, where, registers, datasets)
    return problems
