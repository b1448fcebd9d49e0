"""Typed schema of a register definition (a YAML file in lines/<code>/).

A definition names the fields of a record, its statuses and transitions (with the roles that
may take each and the fields each requires), outcome codes and statutory clocks.

A clock is either a deadline (`kind: deadline`, the default: the step must be taken by a date, or the
record is overdue) or a minimum period (`kind: minimum`: a waiting period that must have elapsed
before the transitions it `blocks` are allowed, e.g. 公开征求意见不少于30日).
"""

from __future__ import annotations

from enum import StrEnum
from string import Formatter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fazhi.core.perms import Perm
from fazhi.core.roles import role_codes
from fazhi.core.workdays import DayUnit

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
NUMBER_PATTERN_NAMES = {"year", "unit", "seq"}  # what a register's number_pattern may name


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    MONEY = "money"  # yuan, two decimals
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    PERSON = "person"  # id of a core Person
    ORG_UNIT = "org_unit"  # id of a core OrgUnit
    ENTITY = "entity"  # id of a core Entity (market entity)


class RecordColumn(StrEnum):
    """Real, indexed Record columns a payload field can feed, so indicators can query them."""

    CATEGORY = "category"
    AMOUNT = "amount"
    OPENED_ON = "opened_on"


class ClockKind(StrEnum):
    DEADLINE = "deadline"  # 期限: act on or before the due date
    MINIMUM = "minimum"  # 最短期间: the blocked transitions are allowed from the due date on


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    type: FieldType
    required: bool = False
    choices: dict[str, str] | None = None
    column: RecordColumn | None = None
    help: str = ""
    # date fields only: the date may lie after today (a deadline or a planned date, not something that
    # happened); every other date is refused when it is in the future (code date_in_future)
    future: bool = False

    @model_validator(mode="after")
    def _choices_for_choice(self) -> FieldDef:
        if self.type == FieldType.CHOICE and not self.choices:
            raise ValueError(f"字段 {self.code} 的类型为 choice，必须列出 choices")
        if self.type != FieldType.CHOICE and self.choices:
            raise ValueError(f"字段 {self.code} 不是 choice 类型，不能有 choices")
        if self.column == RecordColumn.AMOUNT and self.type not in (FieldType.MONEY, FieldType.DECIMAL, FieldType.INT):
            raise ValueError(f"字段 {self.code} 写入金额列，类型须为 money/decimal/int")
        if self.column == RecordColumn.CATEGORY and self.type != FieldType.CHOICE:
            raise ValueError(f"字段 {self.code} 写入分类列，类型须为 choice")
        if self.future and self.type != FieldType.DATE:
            raise ValueError(f"字段 {self.code} 不是日期，不能写 future")
        if self.column == RecordColumn.OPENED_ON and self.type != FieldType.DATE:
            raise ValueError(f"字段 {self.code} 写入受理日期列，类型须为 date")
        return self


class StatusDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    initial: bool = False
    final: bool = False


class OutcomeDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str


class TransitionDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    from_: list[str] = Field(alias="from", min_length=1)
    to: str
    roles: list[str] = Field(min_length=1)
    requires: list[str] = []
    outcomes: list[str] | None = None  # when set, the transition must record one of these outcomes
    note_required: bool = False
    # Choice fields the transition itself fills in (e.g. 审查意见 = 合法 for the 审查合法 step), so a
    # fact that follows from the step taken cannot be entered differently.
    sets: dict[str, str] = {}
    # The outcome follows from a clock (e.g. 期限内出具 / 超期出具): {clock: code, met: outcome, missed: outcome}.
    # The service fills it in from the clock at the step's date; a different outcome is refused.
    outcome_from_clock: OutcomeFromClock | None = None

    def roles_for(self, perm: Perm) -> list[str]:
        """The roles this transition gives a permission to (core.access.RoleSource)."""
        return self.roles if perm == Perm.RECORD_TRANSITION else []


class OutcomeFromClock(Strict):
    clock: str
    met: str  # the step is taken by the deadline (or while the clock is suspended)
    missed: str


class ClockStart(Strict):
    # Not called "on": YAML 1.1 reads a bare `on` key as the boolean true.
    event: Literal["create", "transition"]
    transition: str | None = None
    date_field: str | None = None  # a date field holding the legal start (e.g. 收到申请之日)
    when: dict[str, str] = {}  # start only when these choice fields hold these values

    @model_validator(mode="after")
    def _transition_named(self) -> ClockStart:
        if self.event == "transition" and not self.transition:
            raise ValueError("event: transition 时必须写明 transition")
        return self


class ExtensionDef(Strict):
    max_length: int = Field(gt=0)
    unit: DayUnit
    max_count: int | None = Field(default=1, ge=1)  # None: as many times as approved (社区矫正法 第二十九条)
    basis: str = ""


class ClockDef(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    kind: ClockKind = ClockKind.DEADLINE
    basis: str  # the article of law or rule that sets the period
    length: int = Field(gt=0)
    unit: DayUnit
    start: ClockStart
    stop_statuses: list[str] = Field(min_length=1)
    # minimum clocks only: the transitions refused until the period has elapsed
    blocks: list[str] = []
    extension: ExtensionDef | None = None
    suspendable: bool = False
    due_soon_days: int | None = None

    @model_validator(mode="after")
    def _kind_fits(self) -> ClockDef:
        if self.kind == ClockKind.MINIMUM:
            if not self.blocks:
                raise ValueError(f"最短期间 {self.code}（kind: minimum）须用 blocks 列出期满前不得办理的流转")
            if self.extension or self.suspendable or self.due_soon_days is not None:
                raise ValueError(f"最短期间 {self.code} 不能延长、中止，也没有临期提醒")
        elif self.blocks:
            raise ValueError(f"时限 {self.code} 是办理期限，blocks 只用于最短期间（kind: minimum）")
        return self

    @property
    def is_minimum(self) -> bool:
        return self.kind == ClockKind.MINIMUM


class RegisterDefinition(Strict):
    kind: Literal["register"] = "register"
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    version: int = Field(ge=1)
    description: str = ""
    menu_group: str = ""  # the heading it is listed under in the 登记簿 menu (e.g. 矛盾纠纷化解)
    create_roles: list[str] = Field(min_length=1)  # roles that may register a new record
    edit_roles: list[str] = []  # roles that may correct fields; defaults to create_roles
    fields: list[FieldDef] = []
    statuses: list[StatusDef] = Field(min_length=1)
    transitions: list[TransitionDef] = []
    outcomes: list[OutcomeDef] = []
    clocks: list[ClockDef] = []
    # Up to two choice/bool payload fields kept as rollup dimensions, so indicators can filter on them.
    rollup_dimensions: list[str] = Field(default=[], max_length=2)
    # Fields whose values the rollups keep one row each (RecordRollup.field/value): what distinct(…, field=…)
    # counts, sum(…, field=…) adds up, and what count() may filter on beyond the two dimensions.
    rollup_fields: list[str] = []
    # The case number (编号) the platform gives a new record, e.g. （{year}）{unit}调字第{seq:04d}号: {year} is the
    # year received, {unit} the handling unit's name, {seq} the next number of that register, unit and year.
    # Without it the number is typed in (and imports always bring their own).
    number_pattern: str | None = None

    @model_validator(mode="after")
    def _number_pattern_fits(self) -> RegisterDefinition:
        if self.number_pattern is None:
            return self
        names = {name for _, name, _, _ in Formatter().parse(self.number_pattern) if name is not None}
        if "seq" not in names or names - NUMBER_PATTERN_NAMES:
            raise ValueError(f"编号格式 {self.number_pattern} 须含 {{seq}}，且只能用 {{year}}、{{unit}}、{{seq}}")
        try:
            self.number_pattern.format(year=2024, unit="某单位", seq=1)
        except (ValueError, IndexError) as exc:
            raise ValueError(f"编号格式 {self.number_pattern} 无效：{exc}") from exc
        return self

    # Lookups used by the services.
    def field(self, code: str) -> FieldDef | None:
        return next((f for f in self.fields if f.code == code), None)

    def status(self, code: str) -> StatusDef | None:
        return next((s for s in self.statuses if s.code == code), None)

    def transition(self, code: str) -> TransitionDef | None:
        return next((t for t in self.transitions if t.code == code), None)

    def clock(self, code: str) -> ClockDef | None:
        return next((c for c in self.clocks if c.code == code), None)

    @property
    def editors(self) -> list[str]:
        return self.edit_roles or self.create_roles

    def roles_for(self, perm: Perm) -> list[str]:
        """The roles this register gives a permission to (core.access.RoleSource); its transitions give
        their own (TransitionDef.roles_for)."""
        return {Perm.RECORD_CREATE: self.create_roles, Perm.RECORD_EDIT: self.editors}.get(perm, [])

    @property
    def initial_status(self) -> StatusDef:
        return next(s for s in self.statuses if s.initial)

    def column_field(self, column: RecordColumn) -> FieldDef | None:
        return next((f for f in self.fields if f.column == column), None)

    def outcome_name(self, code: str) -> str:
        return next((o.name for o in self.outcomes if o.code == code), code)

    def status_name(self, code: str) -> str:
        status = self.status(code)
        return status.name if status else code


Problem = tuple[tuple[str | int, ...], str]  # (location in the file's data, Chinese message)


def definition_problems(d: RegisterDefinition) -> list[Problem]:
    """Cross-references the typed schema cannot see; each problem points at the offending value."""
    problems: list[Problem] = []
    for key, label in (("fields", "字段"), ("statuses", "状态"), ("transitions", "流转"), ("outcomes", "结果"),
                       ("clocks", "时限")):
        seen: set[str] = set()
        for i, item in enumerate(getattr(d, key)):
            if item.code in seen:
                problems.append(((key, i, "code"), f"{label}代码重复：{item.code}"))
            seen.add(item.code)
    if sum(s.initial for s in d.statuses) != 1:
        problems.append((("statuses",), "必须恰好有一个初始状态（initial: true）"))
    statuses = {s.code for s in d.statuses}
    fields = {f.code: f for f in d.fields}
    outcomes = {o.code for o in d.outcomes}
    transitions = {t.code for t in d.transitions}
    for column in RecordColumn:
        feeding = [i for i, f in enumerate(d.fields) if f.column == column]
        for i in feeding[1:]:
            problems.append((("fields", i, "column"), f"只能有一个字段写入 {column} 列"))
    for key in ("create_roles", "edit_roles"):
        for i, code in enumerate(getattr(d, key)):
            if code not in role_codes():
                problems.append(((key, i), f"角色 {code} 不存在（见 core/data/roles.yaml 与各业务线的 roles.yaml）"))
    for i, t in enumerate(d.transitions):
        for j, code in enumerate(t.roles):
            if code not in role_codes():
                problems.append((("transitions", i, "roles", j), f"流转 {t.code} 的角色 {code} 不存在（见 core/data/roles.yaml 与各业务线的 roles.yaml）"))
        for j, s in enumerate(t.from_):
            if s not in statuses:
                problems.append((("transitions", i, "from", j), f"流转 {t.code} 引用了不存在的状态 {s}"))
        if t.to not in statuses:
            problems.append((("transitions", i, "to"), f"流转 {t.code} 引用了不存在的状态 {t.to}"))
        for j, f in enumerate(t.requires):
            if f not in fields:
                problems.append((("transitions", i, "requires", j), f"流转 {t.code} 要求不存在的字段 {f}"))
        for j, o in enumerate(t.outcomes or []):
            if o not in outcomes:
                problems.append((("transitions", i, "outcomes", j), f"流转 {t.code} 引用了不存在的结果 {o}"))
        for f, v in t.sets.items():
            if f not in fields or v not in (fields[f].choices or {}):
                problems.append((("transitions", i, "sets", f), f"流转 {t.code} 填写的 {f}={v} 不是已定义字段的选项"))
        by_clock = t.outcome_from_clock
        if by_clock is not None:
            if d.clock(by_clock.clock) is None:
                problems.append((("transitions", i, "outcome_from_clock", "clock"),
                                 f"流转 {t.code} 按时限 {by_clock.clock} 判定结果，但没有这个时限"))
            for key in ("met", "missed"):
                if getattr(by_clock, key) not in (t.outcomes or []):
                    problems.append((("transitions", i, "outcome_from_clock", key),
                                     f"流转 {t.code} 的 {key} 结果 {getattr(by_clock, key)} 不在它的 outcomes 中"))
    for i, code in enumerate(d.rollup_fields):
        if code not in fields or fields[code].type == FieldType.DATE:
            problems.append((("rollup_fields", i), f"汇总字段 {code} 须为已定义的非日期字段"))
    for i, code in enumerate(d.rollup_dimensions):
        if code not in fields or fields[code].type not in (FieldType.CHOICE, FieldType.BOOL):
            problems.append((("rollup_dimensions", i), f"汇总维度 {code} 须为已定义的 choice 或 bool 字段"))
    for i, c in enumerate(d.clocks):
        if c.start.transition and c.start.transition not in transitions:
            problems.append((("clocks", i, "start", "transition"), f"时限 {c.code} 引用了不存在的流转 {c.start.transition}"))
        if c.start.date_field and (c.start.date_field not in fields or fields[c.start.date_field].type != FieldType.DATE):
            problems.append((("clocks", i, "start", "date_field"),
                             f"时限 {c.code} 的起算字段 {c.start.date_field} 不存在或不是日期"))
        for f, v in c.start.when.items():
            if f not in fields or v not in (fields[f].choices or {}):
                problems.append((("clocks", i, "start", "when", f), f"时限 {c.code} 的起算条件 {f}={v} 不是已定义字段的选项"))
        for j, s in enumerate(c.stop_statuses):
            if s not in statuses:
                problems.append((("clocks", i, "stop_statuses", j), f"时限 {c.code} 引用了不存在的状态 {s}"))
        for j, code in enumerate(c.blocks):
            blocked = d.transition(code)
            if blocked is None:
                problems.append((("clocks", i, "blocks", j), f"最短期间 {c.code} 阻止的流转 {code} 不存在"))
            elif all(s in c.stop_statuses for s in blocked.from_):
                # the clock has always stopped before such a step could be taken: it would never wait
                problems.append((("clocks", i, "blocks", j),
                                 f"最短期间 {c.code} 阻止的流转 {code} 只从其停止状态出发，等待期不起作用"))
    return problems
