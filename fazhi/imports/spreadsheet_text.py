"""Formula injection: a text cell starting with = + - @ (or a tab / carriage return) is taken by Excel and
LibreOffice for a formula (`=HYPERLINK(…)`, `=cmd|…`). Exports write such text as text: in .xlsx a string
cell with the quote prefix (the value itself unchanged), in .csv with a leading apostrophe, which the CSV
reader takes off again so an exported file re-imports unchanged."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Would a spreadsheet take this text for a formula? (Also true for a text that only starts with the
    apostrophe this module adds, so quoting and unquoting stay each other's inverse.)"""
    if text.startswith(_FORMULA_START):
        return True
    return text.startswith("'") and formula_like(text[1:])


def csv_text_quote(text: str) -> str:
    return "'" + text if formula_like(text) else text


def csv_text_unquote(text: str) -> str:
    return text[1:] if text.startswith("'") and formula_like(text[1:]) else text
