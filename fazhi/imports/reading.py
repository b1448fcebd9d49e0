"""Reading a spreadsheet or CSV file into rows of cells: python-calamine for .xlsx/.xls, stdlib csv for .csv.

A CSV's encoding is detected among UTF-8 (with or without BOM) and GB18030, strictly: a file none of them
decodes is refused, never read with replacement characters.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from .errors import ImportErrorCode, ImportFileError
from .spreadsheet_text import csv_text_unquote

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")


class Uncomputed(str):
    """A formula cell saved without its computed value (written by a program, never recalculated by a
    spreadsheet): python-calamine reads it as empty. Its text is the formula; the importer refuses it, naming
    the row and the column, rather than taking it for an empty cell."""


# A cell holding a formula and no cached value: <c r="B2"><f>A2*2</f><v></v></c> (openpyxl), or <v/> or none.
_FORMULA_CELL = re.compile(
    rb'<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>(.*?)</f>)\s*(?:<v>\s*</v>|<v/>)?\s*</c>', re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _whole_cells(archive: zipfile.ZipFile, path: str, size: int = 1 << 20) -> Iterator[bytes]:
    """A sheet's XML in pieces of about `size` bytes, each ending after a cell's `</c>` (memory stays flat)."""
    rest = b""
    with archive.open(path) as member:
        while chunk := member.read(size):
            rest += chunk
            end = rest.rfind(b"</c>")
            if end >= 0:
                yield rest[:end + 4]
                rest = rest[end + 4:]
    if rest:
        yield rest


def _uncomputed_formulas(content: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet name: {(row, column) 0-based: "=formula"}} of an .xlsx's formula cells without a cached value.
    Empty for any file that is not such a zip (calamine reads it, or refuses it, on its own)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
                return {}
            targets = {}
            for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(f"{_NS_PKG}Relationship"):
                target = rel.get("Target", "").lstrip("/")
                targets[rel.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
            found: dict[str, dict[tuple[int, int], str]] = {}
            for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter(f"{_NS_MAIN}sheet"):
                path = targets.get(sheet.get(f"{_NS_REL}id"))
                if path not in names:
                    continue
                cells = {}
                for xml in _whole_cells(archive, path):
                    if b"<f" not in xml:
                        continue
                    for m in _FORMULA_CELL.finditer(xml):
                        attributes = m[1]
                        ref = _CELL_REF.search(attributes)
                        if ref is None or (b't="str"' in attributes and b"<v>" in m[0]):
                            continue  # a formula computed to an empty text keeps its (empty) value
                        formula = html.unescape((m[2] or b"").decode("utf-8", "replace"))
                        cells[(int(ref[2]) - 1, _column_index(ref[1]))] = "=" + formula
                if cells:
                    found[sheet.get("name", "")] = cells
            return found
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError, ValueError, EOFError, RuntimeError,
            zlib.error):
        return {}  # a broken file: calamine refuses it


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]


@dataclass
class Workbook:
    sheets: list[Sheet]  # the visible sheets only, in file order
    encoding: str = ""  # CSV only
    hidden: list[str] = field(default_factory=list)  # hidden sheets, ignored


def csv_decode(content: bytes) -> tuple[str, str]:
    """(text, encoding name); refuses a file that decodes as none of the accepted encodings."""
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8-BOM")]
    else:
        # UTF-8 first: a strict UTF-8 decode of GB18030 Chinese text almost always fails, the reverse not.
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    for codec, name in candidates:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        # A binary file that happens to decode is full of NULs; a stray one in a cell is that cell's error
        # (cells refuse control characters, naming the row and column) and loses no other row.
        if text.count("\x00") > max(8, len(text) // 100):
            continue
        return text, name
    raise ImportFileError(ImportErrorCode.ENCODING_UNKNOWN,
                          "无法识别文件编码：CSV 文件须为 UTF-8（可带 BOM）或 GB18030（GBK）编码")


def _csv_read(content: bytes) -> Workbook:
    text, encoding = csv_decode(content)
    try:
        # A formula-like text an export quoted with an apostrophe (spreadsheet_text) is read back as it was.
        rows = [[csv_text_unquote(c) for c in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise ImportFileError(ImportErrorCode.FILE_UNREADABLE, f"CSV 文件格式有误：{exc}") from None
    return Workbook([Sheet("CSV", rows)], encoding=encoding)


def _spreadsheet_read(content: bytes) -> Workbook:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets, hidden = [], []
        formulas = _uncomputed_formulas(content)
        for meta in book.sheets_metadata:
            if meta.visible == SheetVisibleEnum.Visible:
                sheet = book.get_sheet_by_name(meta.name)
                rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
                for (r, c), formula in sorted(formulas.get(meta.name, {}).items()):
                    # calamine's range ends at the last value: a formula beyond it widens the rows
                    width = max(len(rows[0]) if rows else 0, c + 1)
                    rows += [[""] * width for _ in range(r + 1 - len(rows))]
                    rows[r] += [""] * (c + 1 - len(rows[r]))
                    if rows[r][c] in ("", None):
                        rows[r][c] = Uncomputed(formula)
                sheets.append(Sheet(meta.name, rows))
            else:
                hidden.append(meta.name)
    except Exception as exc:  # calamine raises its own error types for every kind of broken file
        raise ImportFileError(ImportErrorCode.FILE_UNREADABLE,
                              f"无法读取电子表格（文件可能已损坏或不完整）：{type(exc).__name__}") from None
    return Workbook(sheets, hidden=hidden)


def workbook_read(content: bytes, filename: str) -> Workbook:
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_read(content)
    if name.endswith(SPREADSHEET_SUFFIXES):
        return _spreadsheet_read(content)
    raise ImportFileError(ImportErrorCode.FORMAT_UNSUPPORTED, "只能导入 .xlsx、.xls 或 .csv 文件")
