"""Turning one raw cell into the value a register field takes, with the pitfalls of real exports:
identity numbers that a spreadsheet turned into floats, Excel serial dates and Chinese text dates,
full-width digits and spaces."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from fazhi.core.identity import credit_code_mask, id_number_mask

from .columns import Target
from .errors import ImportErrorCode

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_DATE_TEXT = [
    re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
# Control characters (tab, line feed and carriage return aside): no spreadsheet can hold them, and in a
# record they are invisible, so a cell holding one is refused rather than silently cleaned.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel's day 0 in the 1900 date system (1899-12-30 because Excel counts 1900-02-29, which did not exist).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    def __init__(self, code: ImportErrorCode, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def folded(value: Any) -> str:
    """NFKC form of a cell's text (full-width digits, letters and spaces become ASCII), stripped."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def cell_text(value: Any) -> str:
    """The text of a cell as shown: 12.0 read from a number cell is 12; dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    # A NUL is never meaningful in a cell, and PostgreSQL text and jsonb cannot hold one: the staged row
    # keeps the rest of the cell (other control characters are refused later, naming the cell).
    return str(value).replace("\x00", "").strip().strip("\u3000")


def masked(target: Target, value: Any) -> str:
    """A cell's value as an error may show it: identity numbers masked (DESIGN.md §9)."""
    text = cell_text(value)
    if not target.is_identity:
        return text[:100]
    if target.field is not None and target.field.type.value == "entity":
        return credit_code_mask(text) if len(text) == 18 else "*" * len(text)
    return id_number_mask(text) if len(text) == 18 else "*" * len(text)


def date_value(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(ImportErrorCode.DATE_INVALID, "应为日期")
    if isinstance(value, int | float):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return date_value(str(int(value)))
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # an Excel serial date without its format
        raise CellError(ImportErrorCode.DATE_INVALID, f"应为日期，收到数字“{cell_text(value)}”")
    text = folded(value)
    for pattern in _DATE_TEXT:
        if m := pattern.match(text):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise CellError(ImportErrorCode.DATE_INVALID,
                    f"应为日期（如 2024-03-05、2024/3/5、2024.3.5、2024年3月5日、20240305），收到“{text[:40]}”")


def identity_text(value: Any, *, what: str) -> str:
    """An identity number's text; a number cell is refused: a spreadsheet keeps 15 significant digits, so an
    18-digit number read as a number has already lost its last digits, and no guess can restore them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(ImportErrorCode.IDENTITY_AS_NUMBER,
                        f"{what}被存成了数字，后几位已丢失；请把该列设为文本格式后重新填写")
    text = folded(value).replace(" ", "").upper()
    if _SCIENTIFIC.match(text):
        raise CellError(ImportErrorCode.IDENTITY_AS_NUMBER,
                        f"{what}显示为科学计数法，后几位已丢失；请把该列设为文本格式后重新填写")
    return text


def choice_value(target: Target, value: Any, extra: dict[str, str] | None = None) -> str:
    """A choice's code from its code, its label, a known synonym of the label, or the saved mapping."""
    field = target.field
    assert field is not None and field.choices is not None
    from .columns import synonyms

    text = folded(value)
    keyed = {folded(code): code for code in field.choices}
    for code, label in field.choices.items():
        keyed.setdefault(folded(label), code)
        for alias in synonyms()["values"].get(label, []):
            keyed.setdefault(folded(alias), code)
    for raw, code in (extra or {}).items():
        if code in field.choices:
            keyed[folded(raw)] = code
    if text in keyed:
        return keyed[text]
    raise CellError(ImportErrorCode.VALUE_INVALID, f"只能是：{'、'.join(field.choices.values())}；收到“{text[:40]}”")


def scalar_value(value: Any) -> Any:
    """A number/bool cell's value for payload_clean: full-width digits folded, thousands separators dropped."""
    if isinstance(value, str):
        return folded(value).replace(",", "")
    return value
