"""Validation of record payloads against a register definition's typed fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.core.models import Entity, OrgUnit, Person
from fazhi.core.textinput import ControlCharacterError, control_characters_refuse

from .definitions import FieldDef, FieldType, RecordColumn, RegisterDefinition
from .errors import RecordError, RecordErrorCode

_REFERENCES = {FieldType.PERSON: Person, FieldType.ORG_UNIT: OrgUnit, FieldType.ENTITY: Entity}


def _invalid(field: FieldDef, why: str) -> RecordError:
    return RecordError(RecordErrorCode.FIELD_INVALID, f"“{field.name}”{why}", field=field.code)


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
        pk = getattr(value, "pk", value)
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise _invalid(field, f"引用编号无效：“{value}”") from None
        if not _REFERENCES[t].objects.filter(pk=pk).exists():
            raise _invalid(field, f"引用的对象（编号 {pk}）不存在")
        return pk
    raise _invalid(field, "类型未知")  # pragma: no cover - the schema forbids other types


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
