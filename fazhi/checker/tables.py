"""Tables in the plain text: one cell per line (web pages and PDFs copied as text), tab-, pipe- or
space-separated rows (.docx and PDF tables are written out as tab-separated rows by ``extract``).

A table is found in one pass over the lines (:func:`iter_tables`); each numeric cell knows its exact
span in the checked text, its row label, its column header and the unit given by the header, the
caption (``单位：件``) or the cell itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .claims import UNITS, Qualifier
from .numerals import parse_number

_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
# A cell that is one figure: "3509", "74.7%", "1.2万", "132件", "约30人".
CELL_RE = re.compile(
    rf"(?P<pre>约|近|超过|超|逾|不足)?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)(?P<mult>万|亿)?\s*"
    rf"(?P<unit>%|‰|{_UNIT_ALT})?(?P<post>以上|以下|左右|余|多)?"
)
EMPTY_CELL = re.compile(r"[-—–－/／]{1,2}|无|空")
_PRE = {"约": Qualifier.APPROX, "近": Qualifier.APPROX, "超": Qualifier.AT_LEAST, "超过": Qualifier.AT_LEAST,
        "逾": Qualifier.AT_LEAST, "不足": Qualifier.AT_MOST}
_POST = {"以上": Qualifier.AT_LEAST, "以下": Qualifier.AT_MOST, "左右": Qualifier.APPROX, "余": Qualifier.APPROX,
         "多": Qualifier.APPROX}
# Units a header can name: "（件）", "单位：件", "件" alone on its line, "比例", "%".
_HEADER_UNIT = re.compile(rf"[（(](?:单位[:：])?\s*(?P<u>%|‰|万元|亿元|{_UNIT_ALT})\s*[）)]")
_CAPTION_UNIT = re.compile(rf"^[（(]?\s*(?:单位[:：]\s*)?(?P<u>%|‰|万元|亿元|{_UNIT_ALT})\s*[）)]?$")
_CAPTION_UNIT_ANY = re.compile(rf"单位[:：]\s*(?P<u>%|‰|万元|亿元|{_UNIT_ALT})")
SHARE_HEADER = re.compile(r"比例|占比|比重|百分比|构成|%|％|率")
TOTAL_LABEL = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计|总数|总量|汇总|全[省市区县州]合计|全[省市区县州]|总体)$")
TOTAL_HEADER = re.compile(r"合计|总计|小计|总数|共计")
SUB_ROW = re.compile(r"^(?:其中|含|[—–-]{1,2}|\s)")
_SENTENCE_PUNCT = re.compile(r"[。；;，,！？!?：:]")
MAX_LABEL = 30
MAX_ROWS = 2000  # a longer run is not a table but a list of figures; it is cut


@dataclass(slots=True)
class Cell:
    """One numeric cell: ``text[start:end]`` is its figure."""

    start: int
    end: int
    value: Decimal
    unit: str | None
    qualifier: Qualifier
    own_unit: bool  # the cell itself carried the unit ("74.7%")


@dataclass(slots=True)
class Row:
    label: str
    label_start: int
    label_end: int
    cells: list[Cell | None]  # one per value column; None for an empty or non-numeric cell
    empty: list[bool] = field(default_factory=list)  # cell written as "—" or "-" (counts as 0)

    def cell(self, j: int) -> Cell:
        """The cell of column j, where the caller has already checked that it is not empty."""
        cell = self.cells[j]
        assert cell is not None, "an empty cell read as a value"
        return cell

    @property
    def is_total(self) -> bool:
        return bool(TOTAL_LABEL.match(self.label.strip()))

    @property
    def is_sub(self) -> bool:
        return bool(SUB_ROW.match(self.label))


@dataclass(slots=True)
class Table:
    start: int
    end: int
    columns: list[str]  # header of each value column ("" when unknown)
    units: list[str | None]  # unit of each value column
    rows: list[Row]
    label_header: str = ""
    unit: str | None = None  # table-wide unit from the caption

    def column_is_share(self, j: int) -> bool:
        if self.units[j] in ("%", "‰"):
            return True
        cells = [c for r in self.rows if (c := r.cells[j]) is not None]
        return bool(cells) and all(c.unit in ("%", "‰") for c in cells)

    def cells(self) -> Iterator[tuple[Row, int, Cell]]:
        for row in self.rows:
            for j, c in enumerate(row.cells):
                if c is not None:
                    yield row, j, c


def parse_cell(norm: str, start: int, end: int) -> tuple[Cell | None, bool]:
    """(cell, is_empty_marker) for the stripped cell ``norm[start:end]``."""
    s = norm[start:end]
    m = CELL_RE.fullmatch(s)
    if m is None:
        return None, bool(EMPTY_CELL.fullmatch(s))
    value = parse_number(m["num"] + (m["mult"] or ""))
    if value is None:
        return None, False
    unit = m["unit"]
    q = Qualifier.EXACT
    if m["pre"]:
        q = _PRE[m["pre"]]
    if m["post"]:
        q = _POST[m["post"]]
    return Cell(start, end, value, unit, q, unit is not None), False


def _strip_span(norm: str, a: int, b: int) -> tuple[int, int]:
    while a < b and norm[a] in " \t\u3000|":
        a += 1
    while b > a and norm[b - 1] in " \t\u3000|":
        b -= 1
    return a, b


def _header_unit(header: str) -> str | None:
    m = _HEADER_UNIT.search(header)
    if m:
        return m["u"]
    if SHARE_HEADER.search(header) and not re.search(r"数|人次|件数", header):
        return "%"
    return None


def _caption_unit(line: str) -> str | None:
    m = _CAPTION_UNIT.match(line.strip()) or _CAPTION_UNIT_ANY.search(line)
    return m["u"] if m else None


# -- line scanning -----------------------------------------------------------------------------------
_NUM, _LABEL, _OTHER, _SPLIT = "num", "label", "other", "split"


@dataclass(slots=True)
class _Line:
    start: int  # stripped content
    end: int
    kind: str
    cells: list[tuple[int, int]] = field(default_factory=list)  # for split rows


def _split_cells(norm: str, start: int, end: int) -> list[tuple[int, int]] | None:
    line = norm[start:end]
    if "\t" in line:
        seps = "\t"
    elif len([c for c in line.split("|") if c.strip()]) >= 2:
        seps = "|"  # a lone trailing "|" ("警告 |", a web table flattened to one cell a line) is no row
    elif " " not in line and "\u3000" not in line:
        return None
    else:
        # "作出维持决定 3509 74.7%": a label and figures separated by spaces
        parts = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s\u3000]+", line)]
        if len(parts) >= 2 and all(CELL_RE.fullmatch(norm[a:b]) or EMPTY_CELL.fullmatch(norm[a:b])
                                   for a, b in parts[1:]) and not CELL_RE.fullmatch(norm[parts[0][0]:parts[0][1]]):
            if len(norm[parts[0][0]:parts[0][1]]) <= MAX_LABEL and not _SENTENCE_PUNCT.search(norm[parts[0][0]:parts[0][1]]):
                return parts
        return None
    cells = []
    pos = start
    text = line
    if seps == "|":
        inner_a, inner_b = _strip_span(norm, start, end)
        if re.fullmatch(r"[|:\-\s]+", norm[start:end]):
            return []  # markdown separator row
        pos, text = inner_a, norm[inner_a:inner_b]
    for piece in text.split(seps):
        a, b = _strip_span(norm, pos, pos + len(piece))
        cells.append((a, b))
        pos += len(piece) + 1
    return cells


MAX_ROW_CHARS = 400  # a longer line without tabs or bars is prose, not a table row


def _classify(norm: str, start: int, end: int) -> _Line:
    a, b = _strip_span(norm, start, end)
    if b - a > MAX_ROW_CHARS and "\t" not in norm[a:b] and "|" not in norm[a:b]:
        return _Line(a, b, _OTHER)
    s = norm[a:b]
    split = _split_cells(norm, a, b) if b > a else None
    if split is not None:
        return _Line(a, b, _SPLIT, split)
    if CELL_RE.fullmatch(s) or EMPTY_CELL.fullmatch(s):
        return _Line(a, b, _NUM)
    if 0 < len(s) <= MAX_LABEL and (not _SENTENCE_PUNCT.search(s.rstrip("：:")) or _caption_unit(s)):
        return _Line(a, b, _LABEL)
    return _Line(a, b, _OTHER)


def iter_tables(norm: str) -> Iterator[Table]:
    """Tables of ``norm`` (the normalised text) in order, found in one pass over its lines."""
    run: list[_Line] = []
    split_run: list[_Line] = []
    before: list[_Line] = []  # the few lines before a run (captions, headers)
    pos, n = 0, len(norm)
    while pos <= n:
        nl = norm.find("\n", pos)
        nl = n if nl < 0 else nl
        if norm[pos:nl].strip(" \t\u3000|"):
            line = _classify(norm, pos, nl)
            if line.kind == _SPLIT:
                if run:
                    yield from _cell_per_line(norm, run)
                    before = run[-4:]
                    run = []
                if line.cells:  # not a markdown separator
                    split_run.append(line)
            else:
                if split_run:
                    yield from _split_table(norm, split_run, before)
                    before = split_run[-4:]
                    split_run = []
                if line.kind == _OTHER:
                    if run:
                        yield from _cell_per_line(norm, run)
                        run = []
                    before = [line]
                else:
                    run.append(line)
                    if len(run) > 4 * MAX_ROWS:
                        yield from _cell_per_line(norm, run)
                        run = []
            if len(split_run) > MAX_ROWS:
                yield from _split_table(norm, split_run, before)
                split_run = []
        pos = nl + 1
    if run:
        yield from _cell_per_line(norm, run)
    if split_run:
        yield from _split_table(norm, split_run, before)


def _unit_of(norm: str, lines: list[_Line]) -> str | None:
    for ln in reversed(lines):
        u = _caption_unit(norm[ln.start:ln.end])
        if u:
            return u
    return None


def _spanning_unit(norm: str, rows: list[_Line]) -> str | None:
    """"行政处罚实施数量(宗) | ||||": a header cell over all columns gives their unit."""
    for ln in rows:
        filled = [(a, b) for a, b in ln.cells if b > a] if ln.cells else [(ln.start, ln.end)]
        if len(filled) == 1:
            m = _HEADER_UNIT.search(norm, *filled[0])
            if m:
                return m["u"]
    return None


def _split_table(norm: str, lines: list[_Line], before: list[_Line]) -> Iterator[Table]:
    """Rows of cells: leading rows with no figure are the header; the first cell is the row label."""
    if len(lines) < 2:
        return
    header_rows: list[_Line] = []
    body: list[_Line] = []
    for ln in lines:
        has_num = any(CELL_RE.fullmatch(norm[a:b]) for a, b in ln.cells[1:])
        if not body and not has_num:
            header_rows.append(ln)
        else:
            body.append(ln)
    if len(body) < 1 or (len(body) < 2 and not header_rows):
        return
    # Rows whose first cell is a figure have no label column ("12175 | 94929 | … | 108156").
    labelled = not all(CELL_RE.fullmatch(norm[ln.cells[0][0]:ln.cells[0][1]]) for ln in body)
    width = max(len(ln.cells) for ln in body) - (1 if labelled else 0)
    if width < 1:
        return
    columns = [""] * width
    label_header = ""
    for hr in header_rows:
        spans = hr.cells
        if len(spans) == width + 1:
            label_header = norm[spans[0][0]:spans[0][1]] or label_header
            vals = spans[1:]
        elif len(spans) == width:
            vals = spans
        else:
            continue
        for j, (a, b) in enumerate(vals):
            if b > a:
                columns[j] = norm[a:b]
    if not header_rows and before and before[-1].kind == _LABEL:
        # a header written with spaces above rows written with spaces: "单位 收案数 受理数"
        tokens = re.split(r"[\s\u3000]+", norm[before[-1].start:before[-1].end].strip())
        if len(tokens) in (width, width + 1) and len(tokens) > 1:
            columns = tokens[-width:]
            label_header = tokens[0] if len(tokens) == width + 1 else ""
    table_unit = _unit_of(norm, before + header_rows) or _spanning_unit(norm, before[-1:] + header_rows)
    units = [_header_unit(c) for c in columns]
    rows = []
    for ln in body:
        (la, lb), rest = ln.cells[0], ln.cells[1:]
        if not labelled or (CELL_RE.fullmatch(norm[la:lb]) and len(ln.cells) == width):
            # no label column in this row: all cells are values
            la = lb = ln.start
            rest = ln.cells
        cells: list[Cell | None] = []
        empty: list[bool] = []
        for j in range(width):
            if j < len(rest):
                cell, is_empty = parse_cell(norm, *rest[j])
            else:
                cell, is_empty = None, False
            if cell is not None and cell.unit is None:
                cell.unit = units[j] or table_unit
            cells.append(cell)
            empty.append(is_empty)
        rows.append(Row(norm[la:lb], la, lb, cells, empty))
    if not any(c is not None for r in rows for c in r.cells):
        return
    yield Table(lines[0].start, lines[-1].end, columns, units, rows, label_header, table_unit)


def _cell_per_line(norm: str, run: list[_Line]) -> Iterator[Table]:
    """``label⏎figure⏎figure⏎label⏎figure⏎figure…``, the header only once above the first row."""
    # groups: (index of label line, number of figure lines after it)
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(run):
        if run[i].kind == _LABEL:
            j = i + 1
            while j < len(run) and run[j].kind == _NUM:
                j += 1
            groups.append((i, j - i - 1))
            i = j
        else:
            i += 1
    g = 0
    while g < len(groups):
        k = groups[g][1]
        if k == 0:
            g += 1
            continue
        h = g
        while h + 1 < len(groups) and groups[h + 1][1] == k:
            h += 1
        # a last row with fewer cells (a 合计 row without a share) still belongs to the table
        last = h
        if h + 1 < len(groups) and 0 < groups[h + 1][1] < k and TOTAL_LABEL.match(
                norm[run[groups[h + 1][0]].start:run[groups[h + 1][0]].end].strip()):
            last = h + 1
        n_rows = last - g + 1
        first_label = groups[g][0]
        # label lines directly above the first row label: header cells and captions
        head: list[_Line] = []
        q = first_label - 1
        while q >= 0 and run[q].kind == _LABEL and len(head) < k + 3:
            head.insert(0, run[q])
            q -= 1
        if n_rows == 1 and k >= 3 and len(head) + 1 >= k:
            # one row under one header cell a line, no row label ("警告⏎罚款⏎…⏎合计⏎0⏎3⏎…⏎3")
            label_line = run[first_label]
            head_all = head + [label_line]
            table = _build_cell_per_line(norm, run, groups[g:g + 1], k, head_all, no_label=True)
            if table is not None:
                yield table
            g = last + 1
            continue
        table = _build_cell_per_line(norm, run, groups[g:last + 1], k, head)
        if table is not None and (n_rows >= 3 or (n_rows >= 2 and (k >= 2 or any(table.columns)
                                                                   or table.unit))):
            yield table
        g = last + 1


def _build_cell_per_line(norm: str, run: list[_Line], groups: list[tuple[int, int]], k: int,
                         head: list[_Line], no_label: bool = False) -> Table | None:
    table_unit = _unit_of(norm, head) or _spanning_unit(norm, head[:-k] if len(head) > k else [])
    head_texts = [norm[ln.start:ln.end] for ln in head if not _caption_unit(norm[ln.start:ln.end])]
    columns = [""] * k
    label_header = ""
    if no_label:
        columns = (([""] * k) + head_texts)[-k:]
    elif head_texts:
        tokens = re.split(r"[\s\u3000]+", head_texts[-1].strip())
        if len(tokens) in (k, k + 1) and len(tokens) > 1:
            columns = tokens[-k:]
            label_header = tokens[0] if len(tokens) == k + 1 else ""
        elif len(head_texts) >= k:
            columns = head_texts[-k:]
            if len(head_texts) > k:
                label_header = head_texts[-k - 1]
        elif k == 1:
            columns = [head_texts[-1]]
    units = [_header_unit(c) for c in columns]
    rows = []
    for li, cnt in groups:
        label = run[li]
        cells: list[Cell | None] = []
        empty: list[bool] = []
        for j in range(k):
            if j < cnt:
                ln = run[li + 1 + j]
                cell, is_empty = parse_cell(norm, ln.start, ln.end)
            else:
                cell, is_empty = None, False
            if cell is not None and cell.unit is None:
                cell.unit = units[j] or table_unit
            cells.append(cell)
            empty.append(is_empty)
        if no_label:
            rows.append(Row("", label.end, label.end, cells, empty))
        else:
            rows.append(Row(norm[label.start:label.end], label.start, label.end, cells, empty))
    start = head[0].start if head else rows[0].label_start
    last_li, last_cnt = groups[-1]
    end = run[last_li + last_cnt].end
    return Table(start, end, columns, units, rows, label_header, table_unit)
