"""Validation of record payloads against a register definition's typed fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from django.db.models import QuerySet

from fazhi.core import access
from fazhi.core.access import ActingUser
from fazhi.core.models import Entity, OrgUnit, Person
from fazhi.core.textinput import ControlCharacterError, control_characters_refuse

from .definitions import FieldDef, FieldType, RecordColumn, RegisterDefinition
from .errors import RecordError, RecordErrorCode

# A JSON object as stored in a JSONField (a payload, a record's state, a timeline event's data). Its values
# are typed by the register's field definitions at run time (field_value_clean), not statically.
JsonObject: TypeAlias = dict[str, Any]

_REFERENCES = {FieldType.PERSON: Person, FieldType.ORG_UNIT: OrgUnit, FieldType.ENTITY: Entity}


def _invalid(field: FieldDef, why: str) -> RecordError:
    return RecordError(RecordErrorCode.FIELD_INVALID, f"“{field.name}”{why}", field=field.code)


# Numbers at or above this are refused: the amount column (max_digits=16, 2 decimals) cannot hold them, and
# quantizing 1E+30 overflows the decimal context (a 500 found by the API fuzzing).
_NUMBER_LIMIT = Decimal(10) ** 14


def field_value_clean(field: FieldDef, value: Any) -> Any:
    """The JSON-storable form of a value, or RecordError naming the field."""
    if value is None or value == "":
        return None
    t = field.type
    if t == FieldType.TEXT:
        text = str(value).strip()
        try:  # a record's text reaches exports and reports: refuse what a .docx/.xlsx cannot hold
            control_characters_refuse(text, label=field.name)
        except ControlCharacterError as exc:
            raise RecordError(RecordErrorCode.FIELD_INVALID, exc.message, field=field.code) from exc
        return text or None
    if t == FieldType.BOOL:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in {"1", "true", "是", "yes"}:
            return True
        if str(value).strip().lower() in {"0", "false", "否", "no"}:
            return False
        raise _invalid(field, "应为“是”或“否”")
    if t == FieldType.INT:
        try:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(str(value).strip()) if not isinstance(value, int | float) else int(value)
        except (TypeError, ValueError):
            raise _invalid(field, f"应为整数，收到“{value}”") from None
    if t in (FieldType.DECIMAL, FieldType.MONEY):
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise _invalid(field, f"应为数字，收到“{value}”") from None
        if not number.is_finite():
            raise _invalid(field, "应为有限数字")
        if abs(number) >= _NUMBER_LIMIT:  # the amount column holds 16 digits, 2 after the point
            raise _invalid(field, "数字过大")
        if t == FieldType.MONEY:
            if number < 0:
                raise _invalid(field, "金额不能为负数")
            number = number.quantize(Decimal("0.01"))
        return str(number)
    if t == FieldType.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise _invalid(field, f"应为日期（如 2024-03-01），收到“{value}”") from None
    if t == FieldType.CHOICE:
        assert field.choices is not None
        key = str(value).strip()
        if key in field.choices:
            return key
        by_name = {v: k for k, v in field.choices.items()}
        if key in by_name:
            return by_name[key]
        raise _invalid(field, f"只能是：{'、'.join(field.choices.values())}；收到“{value}”")
    if t in _REFERENCES:
        # Only the form of the id here: whether the acting user may name the object is ReferenceScope's.
        pk = reference_pk(value)
        if pk is None:
            raise _invalid(field, f"引用编号无效：“{value}”")
        return pk
    raise _invalid(field, "类型未知")  # pragma: no cover - the schema forbids other types


def reference_pk(value: Any) -> int | None:
    """The id a reference value names (an object or its id), or None when it names none."""
    pk = getattr(value, "pk", value)
    if isinstance(pk, bool):
        return None
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


# Reference lookups go in chunks of ids, below the bound parameters SQLite accepts in one statement.
_CHUNK = 5000


def _referable(acting_user: ActingUser, field_type: FieldType
               ) -> QuerySet[Person] | QuerySet[Entity] | QuerySet[OrgUnit]:
    """The objects `acting_user` may name in a field of this type.

    - a person (自然人) only if registered in a unit the user may read: a record shows its parties' names and,
      to those entitled, the full 身份证号, so naming a person of another unit would disclose their
      personal data to that record's readers (个人信息保护法 第六条: no more than the purpose needs);
    - a market entity (市场主体) if registered in any unit of the districts the user works in: its name and
      统一社会信用代码 are public registration data (企业信息公示暂行条例 第六条, 2014 text), and a town's 项目管家 serves the entities the
      district's 营商局 registered;
    - an org unit from the same list the forms offer (`access.units_to_name`).
    acting_user=None (batch jobs) may name any existing object.
    """
    if field_type == FieldType.PERSON:
        return access.scope_queryset(acting_user, Person.objects.all())
    if field_type == FieldType.ENTITY:
        return Entity.objects.filter(org_unit__in=access.units_to_name(acting_user).values("pk"))
    return access.units_to_name(acting_user)


class ReferenceScope:
    """Resolves the person, org-unit and entity references of payloads through one acting user's
    jurisdiction. It remembers what it has looked up, so a batch asks the database once per reference
    type (`preload`), not once per row."""

    def __init__(self, acting_user: ActingUser) -> None:
        self.acting_user = acting_user
        self._looked_up: dict[FieldType, set[int]] = {t: set() for t in _REFERENCES}
        self._allowed: dict[FieldType, set[int]] = {t: set() for t in _REFERENCES}

    def preload(self, wanted: Mapping[FieldType, Iterable[int]]) -> None:
        """Look up, per reference type, the ids not looked up yet (one query per type and 5000 ids)."""
        for field_type, pks in wanted.items():
            new = sorted(set(pks) - self._looked_up[field_type])
            for start in range(0, len(new), _CHUNK):
                chunk = new[start:start + _CHUNK]
                self._allowed[field_type].update(
                    _referable(self.acting_user, field_type).filter(pk__in=chunk).values_list("pk", flat=True))
            self._looked_up[field_type].update(new)

    def check(self, definition: RegisterDefinition, cleaned: dict[str, Any], *,
              held: dict[str, Any] | None = None) -> None:
        """Refuse a cleaned payload naming an object the user may not name; a reference equal to the one the
        record already holds (`held`) is not checked again, so correcting another field of a record does not
        depend on who registered its parties. A missing object gets the same answer as a forbidden one."""
        held = held or {}
        refs = [(definition.field(code), pk) for code, pk in cleaned.items()
                if pk is not None and held.get(code) != pk]
        checked = [(field, pk) for field, pk in refs if field is not None and field.type in _REFERENCES]
        wanted: dict[FieldType, set[int]] = {}
        for field, pk in checked:
            wanted.setdefault(field.type, set()).add(pk)
        self.preload(wanted)
        for field, pk in checked:
            if pk not in self._allowed[field.type]:
                raise RecordError(RecordErrorCode.REFERENCE_OUT_OF_JURISDICTION,
                                  f"“{field.name}”引用的对象不存在或不在您的管辖范围内", field=field.code)


def payload_references(definition: RegisterDefinition, data: dict[str, Any]) -> dict[FieldType, set[int]]:
    """The ids each reference field of a raw payload names, by type (what ReferenceScope.preload takes);
    values that name no id are left to payload_clean to refuse."""
    wanted: dict[FieldType, set[int]] = {}
    for code, value in data.items():
        field = definition.field(code)
        if field is not None and field.type in _REFERENCES and (pk := reference_pk(value)) is not None:
            wanted.setdefault(field.type, set()).add(pk)
    return wanted


def payload_clean(definition: RegisterDefinition, data: dict[str, Any]) -> dict[str, Any]:
    """Clean the given fields; unknown fields are refused, nothing is silently dropped."""
    cleaned: dict[str, Any] = {}
    for code, value in data.items():
        field = definition.field(code)
        if field is None:
            raise RecordError(
                RecordErrorCode.UNKNOWN_FIELD, f"登记簿“{definition.name}”没有字段“{code}”", field=code
            )
        cleaned[code] = field_value_clean(field, value)
    return cleaned


def payload_future_dates_refuse(definition: RegisterDefinition, cleaned: dict[str, Any], *, today: dt.date) -> None:
    """Refuse a date after today in a field recording something that happened (not `future: true`)."""
    for code, value in cleaned.items():
        field = definition.field(code)
        if field is None or field.type != FieldType.DATE or field.future or value is None:
            continue
        if dt.date.fromisoformat(value) > today:
            raise RecordError(RecordErrorCode.DATE_IN_FUTURE, f"“{field.name}”不能晚于今天（{today}）", field=code)


def date_not_future(on_date: dt.date, *, today: dt.date, name: str, field: str) -> None:
    """Refuse the date of a step (受理、结案…) after today: what has not happened cannot be recorded."""
    if on_date > today:
        raise RecordError(RecordErrorCode.DATE_IN_FUTURE, f"“{name}”的日期 {on_date} 晚于今天（{today}）",
                          field=field)


def payload_require(definition: RegisterDefinition, payload: dict[str, Any], codes: list[str]) -> None:
    for code in codes:
        if payload.get(code) in (None, ""):
            field = definition.field(code)
            name = field.name if field else code
            raise RecordError(RecordErrorCode.FIELD_REQUIRED, f"“{name}”不能为空", field=code)


def payload_columns(definition: RegisterDefinition, payload: dict[str, Any]) -> dict[str, Any]:
    """Record column values fed by payload fields (category, amount, opened_on)."""
    columns: dict[str, Any] = {}
    for column in RecordColumn:
        field = definition.column_field(column)
        if field is None or field.code not in payload:
            continue
        value = payload[field.code]
        if column == RecordColumn.CATEGORY:
            columns["category"] = value or ""
        elif column == RecordColumn.AMOUNT:
            columns["amount"] = Decimal(value) if value is not None else None
        elif column == RecordColumn.OPENED_ON and value is not None:
            columns["opened_on"] = dt.date.fromisoformat(value)
    return columns
