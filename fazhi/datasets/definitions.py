"""Typed schema of a data set definition (a `dataset*.yaml` file in lines/<code>/).

A data set is a form of aggregate figures that units of some kinds report per period: its elements
(each a number with a unit and a value type), the disaggregations that break an element down
(by venue, by audience …), who enters and who approves, and when the report is due.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fazhi.core.models import OrgUnitKind
from fazhi.core.periods import Period, PeriodType
from fazhi.core.perms import Perm
from fazhi.core.roles import role_codes

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"

# The measure words figures are reported in; a closed list so that indicators and the report
# checker can match a figure's 量词 to its element.
UNITS = ("件", "次", "人", "人次", "份", "场", "篇", "个", "条", "期", "册", "本", "张", "块", "名", "位", "项", "户", "家", "种", "起", "点",
         "万元", "元", "%")

# Most elements are counts; an element may be broken down along at most two disaggregations.
MAX_ELEMENT_DISAGGREGATIONS = 2


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DueRule(Strict):
    """When a period's report is due: N days after the period ends, or a fixed month/day after it."""

    days_after_period_end: int | None = Field(default=None, ge=0, le=366)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="after")
    def _one_form(self) -> DueRule:
        fixed = self.month is not None or self.day is not None
        if (self.days_after_period_end is None) == (not fixed):
            raise ValueError("due 须写 days_after_period_end，或写 month 与 day，二者取其一")
        if fixed:
            if self.month is None or self.day is None:
                raise ValueError("due 的 month 与 day 须同时写明")
            try:
                dt.date(2001, self.month, self.day)  # a common year: 2月29日 would not exist every year
            except ValueError:
                raise ValueError(f"due 的日期不存在：{self.month}月{self.day}日") from None
        return self

    def due_on(self, period: Period) -> dt.date:
        """The last day on which a report for `period` counts as on time."""
        if self.days_after_period_end is not None:
            return period.end + dt.timedelta(days=self.days_after_period_end)
        assert self.month is not None and self.day is not None
        # The first such month/day after the period ends: 3月1日 of the next year for annual data.
        candidate = dt.date(period.end.year, self.month, self.day)
        return candidate if candidate > period.end else dt.date(period.end.year + 1, self.month, self.day)

    @property
    def label(self) -> str:
        if self.days_after_period_end is not None:
            return f"期末后{self.days_after_period_end}日内"
        return f"期末后的{self.month}月{self.day}日前"


class DisaggregationDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    options: dict[str, str] = Field(min_length=2)  # option code → Chinese label

    @model_validator(mode="after")
    def _option_codes(self) -> DisaggregationDef:
        bad = [code for code in self.options if not re.match(CODE_PATTERN, str(code))]
        if bad:
            raise ValueError(f"分类 {self.code} 的选项代码须为小写英文字母、数字和下划线：{'、'.join(map(str, bad))}")
        return self


class ElementDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    unit: str
    value_type: Literal["int", "decimal", "money"] = "int"
    disaggregations: list[str] = Field(default=[], max_length=MAX_ELEMENT_DISAGGREGATIONS)
    required: bool = False
    help: str = ""

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        # A field validator, not a model one, so the error points at the `unit:` line.
        if unit not in UNITS:
            raise ValueError(f"计量单位“{unit}”不在允许的范围内：{'/'.join(UNITS)}")
        return unit


class DatasetDefinition(Strict):
    kind: Literal["dataset"] = "dataset"
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    version: int = Field(ge=1)
    description: str = ""
    period_type: Literal[PeriodType.YEAR, PeriodType.QUARTER, PeriodType.MONTH]
    reporting_kinds: list[OrgUnitKind] = Field(min_length=1)  # kinds of unit that report it
    entry_roles: list[str] = Field(min_length=1)  # roles that may enter values and submit
    approval_roles: list[str] = Field(min_length=1)  # roles that may approve or return a report
    due: DueRule
    disaggregations: list[DisaggregationDef] = []
    elements: list[ElementDef] = Field(min_length=1)

    def element(self, code: str) -> ElementDef | None:
        return next((e for e in self.elements if e.code == code), None)

    def roles_for(self, perm: Perm) -> list[str]:
        """The roles this data set gives a permission to (core.access.RoleSource)."""
        return {Perm.DATASET_ENTER: self.entry_roles, Perm.DATASET_APPROVE: self.approval_roles}.get(perm, [])

    def disaggregation(self, code: str) -> DisaggregationDef | None:
        return next((d for d in self.disaggregations if d.code == code), None)

    @property
    def required_elements(self) -> list[ElementDef]:
        return [e for e in self.elements if e.required]

    def due_on(self, period: Period) -> dt.date:
        return self.due.due_on(period)


Problem = tuple[tuple, str]  # (location in the file's data, Chinese message)


def definition_problems(d: DatasetDefinition) -> list[Problem]:
    """Cross-references the typed schema cannot see; each problem points at the offending value."""
    problems: list[Problem] = []
    for key, label in (("disaggregations", "分类"), ("elements", "数据项")):
        seen: set[str] = set()
        for i, item in enumerate(getattr(d, key)):
            if item.code in seen:
                problems.append(((key, i, "code"), f"{label}代码重复：{item.code}"))
            seen.add(item.code)
    for key in ("entry_roles", "approval_roles"):
        for i, code in enumerate(getattr(d, key)):
            if code not in role_codes():
                problems.append(((key, i), f"角色 {code} 不存在（见 core/data/roles.yaml 与各业务线的 roles.yaml）"))
    known = {x.code for x in d.disaggregations}
    for i, element in enumerate(d.elements):
        if len(set(element.disaggregations)) != len(element.disaggregations):
            problems.append((("elements", i, "disaggregations"), f"数据项 {element.code} 重复引用了同一分类"))
        for j, code in enumerate(element.disaggregations):
            if code not in known:
                problems.append((("elements", i, "disaggregations", j), f"数据项 {element.code} 引用了不存在的分类 {code}"))
    return problems
