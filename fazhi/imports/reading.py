"""Reading a spreadsheet or CSV file into rows of cells: python-calamine for .xlsx/.xls, stdlib csv for .csv.

Rows are streamed: a sheet gives its first rows (to find the header) and an iterator over all of its rows,
so an import holds one batch of rows at a time, never the whole file as Python lists. A CSV is decoded
incrementally from its bytes or from a path on disk; python-calamine keeps a sheet's cells in its own
(native, compact) memory while its rows are iterated.

A CSV's encoding is detected among UTF-8 (with or without BOM) and GB18030, strictly: a file none of them
decodes is refused, never read with replacement characters. The detection reads the whole file once (in
chunks, keeping nothing), so a file that is not valid in an encoding is never half imported.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from .errors import ImportErrorCode, ImportFileError
from .spreadsheet_text import csv_text_unquote

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
HEAD_ROWS = 12  # rows kept for finding the header (columns.layout_find looks at the first ten, and one below)
_CHUNK = 1 << 20


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


def _uncomputed_formulas(opener: Opener) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet name: {(row, column) 0-based: "=formula"}} of an .xlsx's formula cells without a cached value.
    Empty for any file that is not such a zip (calamine reads it, or refuses it, on its own)."""
    try:
        with opener() as f, zipfile.ZipFile(f) as archive:
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
    head: list[list[Any]]  # the first HEAD_ROWS rows, for finding the header
    # Every row from the sheet's first (the head included), as a fresh iterator on each call.
    rows_iter: Callable[[], Iterator[list[Any]]] = field(repr=False, default=lambda: iter(()))
    size: int = 0  # the number of rows when known before reading them (spreadsheets), else 0

    @property
    def rows(self) -> list[list[Any]]:
        """All rows as a list (small files and tests only: an import iterates `rows_iter`)."""
        return list(self.rows_iter())


@dataclass
class Workbook:
    sheets: list[Sheet]  # the visible sheets only, in file order
    encoding: str = ""  # CSV only
    hidden: list[str] = field(default_factory=list)  # hidden sheets, ignored


Opener = Callable[[], IO[bytes]]


def _opener(content: bytes | None, path: str | Path | None) -> Opener:
    if path is not None:
        return lambda: open(path, "rb")  # noqa: SIM115 - the caller closes it
    data = content or b""
    return lambda: io.BytesIO(data)


def _decodes(opener: Opener, codec: str) -> bool:
    """Whether the whole file decodes strictly in `codec` and is not full of NULs (a binary file)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    nuls = length = 0
    try:
        with opener() as f:
            while chunk := f.read(_CHUNK):
                text = decoder.decode(chunk)
                nuls, length = nuls + text.count("\x00"), length + len(text)
            text = decoder.decode(b"", final=True)
            nuls, length = nuls + text.count("\x00"), length + len(text)
    except UnicodeDecodeError:
        return False
    # A binary file that happens to decode is full of NULs; a stray one in a cell is that cell's error
    # (cells refuse control characters, naming the row and column) and loses no other row.
    return nuls <= max(8, length // 100)


def _csv_encoding(opener: Opener) -> tuple[str, str]:
    with opener() as f:
        start = f.read(3)
    if start.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8-BOM")]
    else:
        # UTF-8 first: a strict UTF-8 decode of GB18030 Chinese text almost always fails, the reverse not.
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    for codec, name in candidates:
        if _decodes(opener, codec):
            return codec, name
    raise ImportFileError(ImportErrorCode.ENCODING_UNKNOWN,
                          "无法识别文件编码：CSV 文件须为 UTF-8（可带 BOM）或 GB18030（GBK）编码")


def csv_decode(content: bytes) -> tuple[str, str]:
    """(text, encoding name) of a whole CSV file; refuses a file none of the accepted encodings decodes."""
    codec, name = _csv_encoding(_opener(content, None))
    return content.decode(codec), name


def _csv_rows(opener: Opener, codec: str) -> Iterator[list[Any]]:
    with opener() as f, io.TextIOWrapper(f, encoding=codec, errors="strict", newline="") as text:
        try:
            # A formula-like text an export quoted with an apostrophe (spreadsheet_text) is read back as it was.
            for r in csv.reader(text):
                yield [csv_text_unquote(c) for c in r]
        except csv.Error as exc:
            raise ImportFileError(ImportErrorCode.FILE_UNREADABLE, f"CSV 文件格式有误：{exc}") from None


def _head(rows: Iterator[list[Any]]) -> list[list[Any]]:
    head = []
    for row in rows:
        head.append(row)
        if len(head) >= HEAD_ROWS:
            break
    return head


def _lines(opener: Opener) -> int:
    """The number of lines (an estimate of the rows, for the progress: a quoted cell may hold a newline)."""
    lines = 0
    with opener() as f:
        while chunk := f.read(_CHUNK):
            lines += chunk.count(b"\n")
    return lines + 1


def _csv_read(opener: Opener) -> Workbook:
    codec, encoding = _csv_encoding(opener)
    rows = lambda: _csv_rows(opener, codec)  # noqa: E731
    return Workbook([Sheet("CSV", _head(rows()), rows, size=_lines(opener))], encoding=encoding)


def _unreadable(exc: Exception) -> ImportFileError:
    return ImportFileError(ImportErrorCode.FILE_UNREADABLE,
                           f"无法读取电子表格（文件可能已损坏或不完整）：{type(exc).__name__}")


def _sheet_rows(sheet: Any, formulas: dict[tuple[int, int], str]) -> Callable[[], Iterator[list[Any]]]:
    """The rows of a calamine sheet from A1 (as to_python(skip_empty_area=False) gives them): iter_rows
    starts at the first row but at the data's first column, so the columns before it are put back. Formula
    cells without a cached value (`formulas`, 0-based (row, column)) are marked `Uncomputed`; calamine's
    range ends at the last value, so a formula beyond it adds rows."""
    start = sheet.start
    pad = [""] * (start[1] if start else 0)
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), formula in sorted(formulas.items()):
        by_row.setdefault(r, []).append((c, formula))

    def marked(index: int, row: list[Any]) -> list[Any]:
        for c, formula in by_row.get(index, ()):
            row += [""] * (c + 1 - len(row))
            if row[c] in ("", None):
                row[c] = Uncomputed(formula)
        return row

    def rows() -> Iterator[list[Any]]:
        index = -1
        width = 0
        try:
            for index, r in enumerate(sheet.iter_rows()):
                row = [*pad, *r] if pad else list(r)
                width = max(width, len(row))
                yield marked(index, row) if by_row else row
        except Exception as exc:  # calamine raises its own error types for every kind of broken file
            raise _unreadable(exc) from None
        for later in range(index + 1, max(by_row, default=-1) + 1):
            yield marked(later, [""] * width)

    return rows


def _spreadsheet_read(opener: Opener) -> Workbook:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        with opener() as f:
            book = CalamineWorkbook.from_filelike(f)
        sheets, hidden = [], []
        formulas = _uncomputed_formulas(opener)
        for meta in book.sheets_metadata:
            if meta.visible == SheetVisibleEnum.Visible:
                sheet = book.get_sheet_by_name(meta.name)
                rows = _sheet_rows(sheet, formulas.get(meta.name, {}))
                end = sheet.end
                size = max(end[0] + 1 if end else 0, *(r + 1 for r, _ in formulas.get(meta.name, {})), 0)
                sheets.append(Sheet(meta.name, _head(rows()), rows, size=size))
            else:
                hidden.append(meta.name)
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of broken file
        raise _unreadable(exc) from None
    return Workbook(sheets, hidden=hidden)


def workbook_read(content: bytes | None, filename: str, *, path: str | Path | None = None) -> Workbook:
    """The file's visible sheets; `path` (a file on disk) instead of `content` streams a CSV from the disk."""
    name = filename.lower()
    opener = _opener(content, path)
    if name.endswith(".csv"):
        return _csv_read(opener)
    if name.endswith(SPREADSHEET_SUFFIXES):
        return _spreadsheet_read(opener)
    raise ImportFileError(ImportErrorCode.FORMAT_UNSUPPORTED, "只能导入 .xlsx、.xls 或 .csv 文件")
