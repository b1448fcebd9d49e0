"""The checker's entry points: ``report_check`` on text and ``report_check_file`` on a file."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .citations import check_citations
from .claims import Claim, ListMarkers, find_claims_in_block, normalize
from .compare import IndicatorIndex, IndicatorSource, compare_with_indicators
from .consistency import ConsistencyChecker
from .extract import check_text, extract_text
from .findings import Finding, FindingKind, Severity
from .outline import MandatedPart, OutlineTracker, split_blocks
from .relations import BlockRelations, Relation
from .table_checks import TableChecker
from .tables import Cell, Row, Table, iter_tables

_HEADER_UNIT = re.compile(r"单位\s*[:：]\s*(万元|亿元|元|%|人次|件次|户次|件|人|次|个|名|家|项|户|起|份|场|条)")
_RULE_OF_LAW = re.compile(r"法治|法制|依法行政|依法治")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


_COLUMN_UNIT = re.compile(r"[（(](万元|亿元|元|%|人次|件次|户次|件|人|次|个|名|家|项|户|起|份|场|条)[）)]")


def _table_units(norm: str, start: int, end: int, claims: list[Claim], header_unit: str | None,
                 column_units: list[str | None]) -> list[str | None]:
    """Give bare figures in table rows the unit of their column header or of the table caption.

    Returns the column units in force after this paragraph (a header row sets them)."""
    pos = start
    by_line: list[tuple[int, int, list[str | None] | None]] = []
    while pos <= end:
        nl = norm.find("\n", pos, end)
        nl = end if nl < 0 else nl
        cells = norm[pos:nl].split("\t")
        units = [(m.group(1) if (m := _COLUMN_UNIT.search(cell)) else None) for cell in cells]
        if any(units) and not any(ch.isdigit() for cell in cells for ch in _COLUMN_UNIT.sub("", cell)):
            column_units = units
        by_line.append((pos, nl, column_units))
        pos = nl + 1
    for c in claims:
        if c.unit is not None:
            continue
        for line_start, line_end, line_units in by_line:
            if line_start <= c.start < line_end or (line_start == line_end == c.start):
                col = norm.count("\t", line_start, c.start)
                if line_units and col < len(line_units) and line_units[col]:
                    c.unit = line_units[col]
                elif header_unit:
                    c.unit = header_unit
                break
    return column_units


class _TableFeed:
    """Walks the tables of the text in step with its paragraphs: turns each table's cells into claims
    as their paragraphs come, and checks a table once its last paragraph is done."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.tables = iter_tables(norm)
        self.next: Table | None = next(self.tables, None)
        self.active: list[tuple[Table, dict[int, Claim], list[tuple[Row, int, Cell]], list[int]]] = []

    def claims_in(self, start: int, end: int, section: str | None, block_index: int,
                  sentence: int) -> list[Claim]:
        while self.next is not None and self.next.start < end:
            cells = sorted(self.next.cells(), key=lambda rc: rc[2].start)
            self.active.append((self.next, {}, cells, [c.start for _r, _j, c in cells]))
            self.next = next(self.tables, None)
        out: list[Claim] = []
        for table, made, cells, starts in self.active:
            # the cells of this paragraph only: scanning every cell of a long table for every one of its
            # paragraphs (one a line) was quadratic
            for i in range(bisect_left(starts, start), bisect_left(starts, end)):
                row, j, cell = cells[i]
                if id(cell) not in made:
                    column = table.columns[j] if j < len(table.columns) else ""
                    claim = Claim(
                        id="", start=cell.start, end=cell.end, text=self.norm[cell.start:cell.end],
                        value=cell.value, unit=cell.unit, qualifier=cell.qualifier,
                        subject=(row.label + column).replace(" ", ""), period=None, section=section,
                        block=block_index, sentence=sentence, table_row=row.label, table_column=column)
                    made[id(cell)] = claim
                    out.append(claim)
        return out

    def finished(self, end: int) -> tuple[list[Relation], list[Finding]]:
        relations: list[Relation] = []
        findings: list[Finding] = []
        keep = []
        for entry in self.active:
            table, made = entry[0], entry[1]
            if table.end <= end:
                def claim_of(cell: Cell, made: dict[int, Claim] = made) -> Claim:
                    return made[id(cell)]
                checker = TableChecker(table, claim_of)
                checker.run()
                relations += checker.relations
                findings += checker.findings
            else:
                keep.append(entry)
        self.active = keep
        return relations, findings


@dataclass(slots=True)
class CheckResult:
    text: str
    claims: list[Claim] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unit: str | None = None
    year: int | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "no indicator source"

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def as_json(self) -> dict:
        return {
            "claims": [c.as_json() for c in self.claims],
            "relations": [r.as_json() for r in self.relations],
            "findings": [f.as_json() for f in self.findings],
        }


def guess_year(text: str) -> int | None:
    """The report year from the title or the first lines (``2024年某区法治政府建设工作报告``)."""
    m = _TITLE_YEAR.search(text[:300])
    return int(m.group(1)) if m else None


@dataclass(slots=True)
class BlockResult:
    """What one paragraph (or, last, the whole document) contributed."""

    claims: list[Claim]
    relations: list[Relation]
    findings: list[Finding]


def iter_report_check(
    *,
    text: str,
    unit: str | None = None,
    year: int | None = None,
    indicator_source: IndicatorSource | None = None,
    notes: list[str] | None = None,
    whole_report: bool | None = None,
) -> Iterator[BlockResult]:
    """Check ``text`` paragraph by paragraph, yielding each paragraph's results as soon as it is done.

    Nothing but small, capped indexes is kept between paragraphs, so a caller that writes results out
    as they come (the JSON writer of ``checkreport``) runs in bounded memory. The last item carries the
    document-level findings (numbering, missing parts). ``whole_report`` says whether ``text`` is a
    whole report (judge the mandated parts) or an excerpt; ``None`` guesses from the title and headings.
    """
    notes = notes if notes is not None else []
    norm = normalize(text)
    outline = OutlineTracker()
    consistency = ConsistencyChecker(year)
    values = None
    if indicator_source is not None:
        if unit and year:
            # the names' features computed once for the whole report, not per paragraph or per claim
            values = IndicatorIndex(indicator_source.indicator_values(unit, year))
        else:
            notes.append("未指定单位或年度，未与平台数据比对")
    elif unit or year:
        notes.append("平台暂无指标快照可供比对，未与平台数据比对")
    sentence_base = 0
    claim_count = 0
    header_unit: str | None = None
    column_units: list[str | None] = []
    tables = _TableFeed(norm)
    markers = ListMarkers()
    consistency.set_title(norm)
    for block in split_blocks(text):
        if block.heading is not None:
            outline.add(block.heading)
            consistency.add_heading(norm, block.heading.start, block.heading.end,
                                    future=outline.in_part(MandatedPart.PLANS))
        claims = find_claims_in_block(text, norm, block.index, block.start, block.end, block.sentences,
                                      sentence_base, outline.section(), claim_count + 1, markers)
        # Units only in a table caption ("（单位：件）") or in column headers ("金额（万元）") apply to the
        # bare figures of the rows below.
        m = _HEADER_UNIT.search(norm, block.start, block.end)
        tabular = "\t" in text[block.start:block.end]
        if m:
            header_unit = m.group(1)
        elif not tabular:
            header_unit = None
        if not tabular:
            column_units = []
        else:
            column_units = _table_units(norm, block.start, block.end, claims, header_unit, column_units)
        cells = tables.claims_in(block.start, block.end, outline.section(), block.index, sentence_base)
        if cells:
            # a table cell is one claim, whatever the sentence reader made of the same characters
            claims = [c for c in claims if not any(c.start < t.end and t.start < c.end for t in cells)]
            claims = sorted(claims + cells, key=lambda c: c.start)
        for i, c in enumerate(claims):
            c.id = f"c{claim_count + 1 + i}"
        claim_count += len(claims)
        sentence_base += len(block.sentences)
        prose = [c for c in claims if c.table_row is None] if cells else claims
        rel = BlockRelations(norm, block.start, block.end, prose, block.sentences)
        rel.run()
        table_relations, table_findings = tables.finished(block.end)
        consistency.add_block(norm, block.start, block.end, future=outline.in_part(MandatedPart.PLANS))
        consistency.add_claims(prose, rel.part_ids)
        consistency.add_periods(prose)
        findings = rel.findings + table_findings + list(consistency.findings) + check_citations(
            norm, block.start, block.end)
        del consistency.findings[:]
        relations = rel.relations + table_relations
        if values:
            more_rel, more_findings = compare_with_indicators(claims, values, text=norm)
            relations = relations + more_rel
            findings = findings + more_findings
        yield BlockResult(claims, relations, findings)
    final: list[Finding] = []
    whole = outline.looks_whole(text) if whole_report is None else whole_report
    for issue in outline.final_issues(whole):
        final.append(Finding(FindingKind.NUMBERING, issue.message, issue.spans))
    # The mandated parts are those of a 法治政府建设 annual report, not of a statistics table or a study.
    judged = whole if whole_report is not None else whole and (
        _RULE_OF_LAW.search(norm, 0, min(len(norm), 600)) is not None or outline.mandated_headings() >= 2)
    for _part, name in outline.missing_parts(judged):
        final.append(Finding(FindingKind.MISSING_PART, f"未找到规定的报告部分：“{name}”", [(0, min(len(text), 40))]))
    yield BlockResult([], [], final)


def report_check(
    *,
    text: str,
    unit: str | None = None,
    year: int | None = None,
    indicator_source: IndicatorSource | None = None,
    whole_report: bool | None = None,
) -> CheckResult:
    """Extract claims from ``text``, relate them and return claims, relations and findings.

    Offsets in the result are character offsets into ``result.text`` (``text`` after newline
    normalisation; identical to ``text`` when it has no carriage returns).
    """
    text = check_text(text)
    year = year or guess_year(text)
    result = CheckResult(text=text, unit=unit, year=year)
    for part in iter_report_check(text=text, unit=unit, year=year, indicator_source=indicator_source,
                                  notes=result.notes, whole_report=whole_report):
        result.claims.extend(part.claims)
        result.relations.extend(part.relations)
        result.findings.extend(part.findings)
    result.findings.sort(key=lambda f: (f.spans[0][0] if f.spans else 0, str(f.kind)))
    return result


def report_check_file(
    *,
    path: str | Path,
    unit: str | None = None,
    year: int | None = None,
    indicator_source: IndicatorSource | None = None,
    whole_report: bool | None = None,
) -> CheckResult:
    """Read a .txt/.docx/.pdf report and check it; raises ``ReportInputError`` for unreadable input."""
    text = extract_text(path)
    return report_check(text=text, unit=unit, year=year, indicator_source=indicator_source,
                        whole_report=whole_report)
