"""Findings as rows for people: the kind and severity in Chinese, the message, the sentence the first
span falls in and its position (line and column, counted from 1); and the same rows as an .xlsx."""

from __future__ import annotations

import io
from bisect import bisect_right
from dataclasses import dataclass

from .findings import KIND_LABELS
from .render import SEVERITY_LABELS
from .service import CheckResult

_SENTENCE_END = "。！？；!?;\n"
MAX_SENTENCE = 160  # characters of context shown around a finding


@dataclass(frozen=True, slots=True)
class FindingRow:
    kind: str
    severity: str
    kind_label: str
    severity_label: str
    message: str
    sentence: str
    line: int
    column: int
    offset: int


def _sentence(text: str, start: int, end: int) -> str:
    a = start
    while a > 0 and text[a - 1] not in _SENTENCE_END and start - a < MAX_SENTENCE // 2:
        a -= 1
    b = end
    while b < len(text) and text[b - 1:b] not in _SENTENCE_END and b - end < MAX_SENTENCE // 2:
        b += 1
    return text[a:b].strip()


def finding_rows(result: CheckResult) -> list[FindingRow]:
    text = result.text
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    rows = []
    for f in result.findings:
        start, end = f.spans[0] if f.spans else (0, 0)
        line = bisect_right(line_starts, start)
        rows.append(FindingRow(
            kind=str(f.kind), severity=str(f.severity), kind_label=KIND_LABELS[f.kind],
            severity_label=SEVERITY_LABELS[f.severity] if f.severity else "", message=f.message,
            sentence=_sentence(text, start, end), line=line, column=start - line_starts[line - 1] + 1, offset=start))
    return rows


XLSX_HEADERS = ["序号", "类别", "级别", "问题说明", "所在句子", "行", "列"]


def finding_rows_xlsx(rows: list[dict]) -> bytes:
    """The rows (as dicts of FindingRow fields) as an .xlsx workbook, one finding a row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "检查结果"
    ws.append(XLSX_HEADERS)
    for i, r in enumerate(rows, 1):
        ws.append([i, r["kind_label"], r["severity_label"], r["message"], r["sentence"], r["line"], r["column"]])
    for col, width in zip("ABCDEFG", (6, 16, 8, 60, 60, 6, 6), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
