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
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import ImportErrorCode, ImportFileError
from .spreadsheet_text import csv_text_unquote

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
HEAD_ROWS = 12  # rows kept for finding the header (columns.layout_find looks at the first ten, and one below)
_CHUNK = 1 << 20


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


def _sheet_rows(sheet: Any) -> Callable[[], Iterator[list[Any]]]:
    """The rows of a calamine sheet from A1 (as to_python(skip_empty_area=False) gives them): iter_rows
    starts at the first row but at the data's first column, so the columns before it are put back."""
    start = sheet.start
    pad = [""] * (start[1] if start else 0)

    def rows() -> Iterator[list[Any]]:
        try:
            for r in sheet.iter_rows():
                yield [*pad, *r] if pad else list(r)
        except Exception as exc:  # calamine raises its own error types for every kind of broken file
            raise _unreadable(exc) from None

    return rows


def _spreadsheet_read(opener: Opener) -> Workbook:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        with opener() as f:
            book = CalamineWorkbook.from_filelike(f)
        sheets, hidden = [], []
        for meta in book.sheets_metadata:
            if meta.visible == SheetVisibleEnum.Visible:
                sheet = book.get_sheet_by_name(meta.name)
                rows = _sheet_rows(sheet)
                end = sheet.end
                sheets.append(Sheet(meta.name, _head(rows()), rows, size=end[0] + 1 if end else 0))
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
