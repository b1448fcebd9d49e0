"""Reading a spreadsheet or CSV file into rows of cells: python-calamine for .xlsx/.xls, stdlib csv for .csv.

A CSV's encoding is detected among UTF-8 (with or without BOM) and GB18030, strictly: a file none of them
decodes is refused, never read with replacement characters.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from .errors import ImportErrorCode, ImportFileError
from .spreadsheet_text import csv_text_unquote

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")


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
        for meta in book.sheets_metadata:
            if meta.visible == SheetVisibleEnum.Visible:
                sheet = book.get_sheet_by_name(meta.name)
                sheets.append(Sheet(meta.name, [list(r) for r in sheet.to_python(skip_empty_area=False)]))
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
