"""Document structure: blocks (paragraphs), sentences, outline headings, numbering and mandated parts."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .numerals import parse_number

MAX_BLOCK_CHARS = 4000  # longer paragraphs are cut at sentence ends so relation windows stay bounded

_SENTENCE_END = "。！？!?"
_LINE_END_PUNCT = "。！？；：!?;:”」』）)"

HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})、")),
    (2, re.compile(r"[（(](?P<n>[一二三四五六七八九十]{1,3})[）)]")),
    (3, re.compile(r"(?P<n>\d{1,2})(?:[.．、](?![0-9０-９])|(?=(?:19|20)\d\d年))")),
    (4, re.compile(r"[（(](?P<n>\d{1,2})[）)]")),
]


@dataclass(slots=True)
class Heading:
    level: int
    number: int
    marker: str  # e.g. "二、", "（三）", "3."
    title: str
    start: int  # offset of the marker
    end: int  # end of the title


@dataclass(slots=True)
class Block:
    """A paragraph of the plain text: ``text[start:end]``."""

    index: int
    start: int
    end: int
    heading: Heading | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)


def match_heading(line: str, offset: int) -> Heading | None:
    stripped = line.lstrip()
    lead = len(line) - len(stripped)
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(stripped)
        if not m:
            continue
        number = parse_number(m["n"])
        if number is None:
            continue
        rest = stripped[m.end():]
        cut = min((rest.find(c) for c in "。" if c in rest), default=len(rest))
        title = rest[: min(cut, 60)].strip()
        if not title:
            continue
        start = offset + lead
        return Heading(level, int(number), m.group(0), title, start, start + m.end() + len(title))
    return None


def _is_title_line(line: str, heading: Heading | None) -> bool:
    """A heading alone on its line (no body sentence after it)."""
    return heading is not None and "。" not in line.strip().rstrip("。")


def split_blocks(text: str) -> Iterator[Block]:
    """Yield paragraphs, re-joining lines that a converter broke (``99.69\\n\\n%``, PDF wraps)."""
    index = 0
    cur_start: int | None = None
    cur_end = 0
    cur_heading: Heading | None = None
    prev_line = ""
    prev_blank = True
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        line = text[pos:nl]
        stripped = line.strip()
        if not stripped:
            prev_blank = True
        else:
            heading = match_heading(line, pos)
            join = False
            if cur_start is not None:
                if stripped[0] in "%％":
                    join = True
                elif (
                    not prev_blank
                    and heading is None
                    and prev_line
                    and prev_line[-1] not in _LINE_END_PUNCT
                    and not _is_title_line(prev_line, cur_heading if cur_end == cur_start else None)
                    and len(prev_line) >= 15
                ):
                    join = True
            if join:
                cur_end = pos + len(line.rstrip())
            else:
                if cur_start is not None:
                    yield from _finish(text, index, cur_start, cur_end, cur_heading)
                    index += 1
                cur_start = pos + (len(line) - len(line.lstrip()))
                cur_end = pos + len(line.rstrip())
                cur_heading = heading
            prev_line = stripped
            prev_blank = False
        pos = nl + 1
    if cur_start is not None:
        yield from _finish(text, index, cur_start, cur_end, cur_heading)


def _finish(text: str, index: int, start: int, end: int, heading: Heading | None) -> Iterator[Block]:
    # Cut over-long paragraphs at sentence ends.
    while end - start > MAX_BLOCK_CHARS:
        cut = -1
        for c in _SENTENCE_END + "；;，,":
            cut = max(cut, text.rfind(c, start, start + MAX_BLOCK_CHARS))
            if cut > start and c in _SENTENCE_END:
                break
        cut = cut + 1 if cut > start else start + MAX_BLOCK_CHARS
        block = Block(index, start, cut, heading)
        block.sentences = _sentences(text, start, cut)
        yield block
        heading = None
        start = cut
    block = Block(index, start, end, heading)
    block.sentences = _sentences(text, start, end)
    yield block


_SENT_RE = re.compile(r"[^。！？!?]*(?:[。！？!?]+|$)")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in _SENT_RE.finditer(text, start, end):
        if m.end() > m.start():
            out.append((m.start(), m.end()))
    return out or [(start, end)]


class MandatedPart(enum.StrEnum):
    MEASURES = "measures"
    SHORTCOMINGS = "shortcomings"
    LEADERS = "leaders"
    PLANS = "plans"
    OTHER = "other"


MANDATED_PARTS: dict[MandatedPart, tuple[str, tuple[str, ...]]] = {
    MandatedPart.MEASURES: (
        "主要举措和成效",
        ("举措", "成效", "工作情况", "主要做法", "建设情况", "进展", "成绩", "开展情况", "推进情况", "完成情况"),
    ),
    MandatedPart.SHORTCOMINGS: ("存在的不足和原因", ("不足", "问题", "差距", "短板", "困难")),
    MandatedPart.LEADERS: (
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        ("第一责任人", "主要负责人", "述法", "党的领导", "党的全面领导", "履职"),
    ),
    MandatedPart.PLANS: (
        "下一年度主要安排",
        ("安排", "打算", "计划", "下一步", "思路", "展望", "工作重点", "努力方向"),
    ),
    MandatedPart.OTHER: ("其他需要报告的情况", ("其他", "其它")),
}


@dataclass(slots=True)
class OutlineIssue:
    kind: str  # "duplicate" | "skipped" | "order"
    message: str
    spans: list[tuple[int, int]]


class OutlineTracker:
    """Fed headings in order; tracks the current section path and numbering problems."""

    def __init__(self) -> None:
        self.path: dict[int, Heading] = {}
        self.last: dict[int, Heading] = {}
        self.max_number: dict[int, int] = {}  # highest number seen per level under the current parent
        self.headings: list[Heading] = []
        self.issues: list[OutlineIssue] = []
        # Many reports number level-3 items straight through their parents ("1. 2." under （一）, "3."
        # under （二）): the last number of a level when its parent changed.
        self.carried: dict[int, int] = {}
        self._section: tuple[Heading, str] | None = None

    def add(self, h: Heading) -> None:
        self.headings.append(h)
        prev = self.last.get(h.level)
        if prev is None:
            # An excerpt may start at "（二）"; only judge the first number under a known parent.
            if h.number != 1 and h.number != self.carried.get(h.level, -1) + 1 and (
                    h.level == 1 or any(level < h.level for level in self.path)):
                self.issues.append(OutlineIssue(
                    "first", f"编号“{h.marker}”之前缺少从1开始的同级编号", [(h.start, h.end)]))
        elif h.number == prev.number:
            self.issues.append(OutlineIssue(
                "duplicate", f"编号“{h.marker}”重复出现", [(prev.start, prev.end), (h.start, h.end)]))
        elif h.number > self.max_number.get(h.level, 0) + 1:
            self.issues.append(OutlineIssue(
                "skipped", f"编号由“{prev.marker}”跳到“{h.marker}”，中间缺少编号",
                [(prev.start, prev.end), (h.start, h.end)]))
        elif h.number < prev.number:
            self.issues.append(OutlineIssue(
                "order", f"编号“{h.marker}”出现在“{prev.marker}”之后，顺序错乱",
                [(prev.start, prev.end), (h.start, h.end)]))
        self.last[h.level] = h
        self.max_number[h.level] = max(self.max_number.get(h.level, 0), h.number)
        self.path[h.level] = h
        for level in list(self.path):
            if level > h.level:
                del self.path[level]
        for level in list(self.last):
            if level > h.level:
                del self.last[level]
                self.carried[level] = self.max_number.pop(level, 0)

    def in_part(self, part: MandatedPart) -> bool:
        """Whether the current level-1 heading is the given mandated part (by its keywords)."""
        top = self.path.get(1)
        return top is not None and any(k in top.title for k in MANDATED_PARTS[part][1])

    def section(self) -> str | None:
        if not self.path:
            return None
        if self._section is None or self._section[0] is not self.headings[-1]:
            self._section = (self.headings[-1], "".join(self.path[level].marker for level in sorted(self.path)))
        return self._section[1]

    def looks_whole(self, text: str) -> bool:
        """A whole report rather than an excerpt (one department's section): a title line naming a
        报告 among the first lines, or at least three level-1 headings."""
        head = [line.strip() for line in text[:600].split("\n") if line.strip()][:3]
        if any("报告" in line and len(line) <= 60 for line in head):
            return True
        return sum(1 for h in self.headings if h.level == 1) >= 3

    def mandated_headings(self) -> int:
        """How many level-1 headings name one of the mandated parts (by their keywords)."""
        return sum(1 for h in self.headings if h.level == 1 and any(
            k in h.title for _name, keywords in MANDATED_PARTS.values() for k in keywords))

    def final_issues(self, whole: bool) -> list[OutlineIssue]:
        """Numbering issues; an excerpt may legitimately start at "三、", so that is judged only for a
        whole report."""
        return [i for i in self.issues if whole or not (i.kind == "first" and i.spans and
                                                        self._level_at(i.spans[0][0]) == 1)]

    def _level_at(self, start: int) -> int:
        return next((h.level for h in self.headings if h.start == start), 0)

    def missing_parts(self, whole: bool = True) -> list[tuple[MandatedPart, str]]:
        """Mandated parts not found among level-1 headings (then level-2 headings, leniently).

        Only judged for a whole report (see :meth:`looks_whole`) with at least two level-1 headings.
        """
        top = [h for h in self.headings if h.level == 1]
        if not whole or len(top) < 2:
            return []
        second = [h for h in self.headings if h.level == 2]
        missing = []
        for part, (name, keywords) in MANDATED_PARTS.items():
            if any(k in h.title for h in top for k in keywords):
                continue
            if part is not MandatedPart.OTHER and any(k in h.title for h in second for k in keywords):
                continue
            missing.append((part, name))
        return missing
