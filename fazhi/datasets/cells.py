"""Cells of a data set: canonical disaggregation keys and the cleaning of one entered value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .definitions import DatasetDefinition, ElementDef
from .errors import DatasetError, DatasetErrorCode

TOTAL = ""  # the key of an element's total cell
MONEY_PLACES = Decimal("0.01")
VALUE_PLACES = Decimal("0.0001")  # the scale of DataValue.value
VALUE_MAX = Decimal("1e15")


def disaggregation_key(parts: dict[str, str] | str | tuple | None) -> str:
    """The canonical cell key: parts sorted by disaggregation code, `a=x;b=y`; '' for the total.

    Accepts a mapping {code: option}, a key string in any part order, or (code, option) pairs
    (hashable, for use inside the keys of a values dict)."""
    if parts is None:
        return TOTAL
    if isinstance(parts, str):
        parts = disaggregation_parts(parts)
    parts = dict(parts)
    return ";".join(f"{code}={parts[code]}" for code in sorted(parts))


def disaggregation_parts(key: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in filter(None, (key or "").split(";")):
        code, _, option = part.partition("=")
        parts[code.strip()] = option.strip()
    return parts


def key_dimensions(key: str) -> str:
    """'' / `venue` / `audience;venue`: which disaggregations a cell key breaks the element down by."""
    return ";".join(sorted(disaggregation_parts(key)))


def cell_label(definition: DatasetDefinition, element: ElementDef, key: str) -> str:
    """“普法活动（场所：学校）” — how people name a cell in messages."""
    parts = disaggregation_parts(key)
    if not parts:
        return element.name
    shown = []
    for code, option in parts.items():
        d = definition.disaggregation(code)
        shown.append(f"{d.name}：{d.options.get(option, option)}" if d else f"{code}={option}")
    return f"{element.name}（{'，'.join(shown)}）"


def cell_key_clean(definition: DatasetDefinition, element_code: str, parts) -> tuple[ElementDef, str]:
    """The element and canonical key of a cell; refuses unknown elements, disaggregations and options."""
    element = definition.element(element_code)
    if element is None:
        raise DatasetError(DatasetErrorCode.UNKNOWN_ELEMENT, f"“{definition.name}”没有数据项“{element_code}”",
                           element=element_code)
    if isinstance(parts, str):
        parts = disaggregation_parts(parts)
    parts = dict(parts or ())
    for code, option in parts.items():
        d = definition.disaggregation(code)
        if d is None or code not in element.disaggregations:
            raise DatasetError(DatasetErrorCode.UNKNOWN_OPTION, f"“{element.name}”不按“{code}”分类",
                               element=element.code, disaggregation=disaggregation_key(parts))
        if option not in d.options:
            raise DatasetError(DatasetErrorCode.UNKNOWN_OPTION,
                               f"“{element.name}”的“{d.name}”没有选项“{option}”",
                               element=element.code, disaggregation=disaggregation_key(parts))
    return element, disaggregation_key(parts)


def cell_value_clean(definition: DatasetDefinition, element: ElementDef, key: str, raw) -> Decimal | None:
    """The Decimal to store; None clears the cell. Refuses text, fractions of counts, negatives."""
    label = cell_label(definition, element, key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise DatasetError(DatasetErrorCode.VALUE_INVALID, f"“{label}”须填写数字", element=element.code,
                           disaggregation=key)
    try:
        text = raw.strip().replace(",", "").replace("，", "") if isinstance(raw, str) else raw
        value = Decimal(str(text)) if not isinstance(text, Decimal) else text
    except InvalidOperation:
        raise DatasetError(DatasetErrorCode.VALUE_INVALID, f"“{label}”须填写数字，不能是“{raw}”",
                           element=element.code, disaggregation=key) from None
    if not value.is_finite() or abs(value) >= VALUE_MAX:
        raise DatasetError(DatasetErrorCode.VALUE_INVALID, f"“{label}”的数值无效", element=element.code,
                           disaggregation=key)
    if value < 0:
        raise DatasetError(DatasetErrorCode.VALUE_NEGATIVE, f"“{label}”不能为负数", element=element.code,
                           disaggregation=key)
    if element.value_type == "int" and value != value.to_integral_value():
        raise DatasetError(DatasetErrorCode.VALUE_INVALID, f"“{label}”须为整数（单位：{element.unit}）",
                           element=element.code, disaggregation=key)
    if element.value_type == "money" and value != value.quantize(MONEY_PLACES):
        raise DatasetError(DatasetErrorCode.VALUE_INVALID, f"“{label}”最多保留两位小数", element=element.code,
                           disaggregation=key)
    if element.value_type == "decimal" and value != value.quantize(VALUE_PLACES):
        raise DatasetError(DatasetErrorCode.VALUE_INVALID, f"“{label}”最多保留四位小数", element=element.code,
                           disaggregation=key)
    return value.quantize(VALUE_PLACES)
