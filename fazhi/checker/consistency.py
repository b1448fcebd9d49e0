"""Document-wide checks: contradictions, the same subject with different values, partial periods."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .claims import Claim, Qualifier
from .findings import Finding, FindingKind
from .relations import clean, dice, fmt, grams_of

# A statement "X 全覆盖" affirmed or negated; also 建立/建成/出台/开展 X vs 未建立/未开展 X.
_COVERAGE = re.compile(r"全覆盖")
_NEGATION = re.compile(r"未能|未|没有|尚未|没能|不能|难以|仍未")
_VERB_NEG = re.compile(r"(?:尚未|未能|没有|仍未|未)(?P<verb>建立|建成|出台|开展|制定|设立|实现|落实)(?P<obj>[^，。；：、！？\n]{4,30})")
_VERB_POS = re.compile(r"(?<![未没尚])(?P<verb>建立|建成|出台|开展|制定|设立|实现|落实)了?(?P<obj>[^，。；：、！？\n]{4,30})")
_STRIP = re.compile(r"^(?:对|将|把|在|已|全面|基本|进一步|切实|实现了?|做到|达到|落实|推进)+|(?:实现了?|做到|达到|基本|已|均)+$")
# Words that make a statement a goal ("力争实现…全覆盖") rather than a fact.
_GOAL = re.compile(r"力争|争取|推动|确保|努力|计划|将要|拟|逐步|加快|尽快|着力|进一步")
_CLAUSE_BREAKS = "，。；：！？,;:!?\n"

# Facts stated both ways: (what, negation, affirmation). "无上年结转" vs "含上年度结转".
OPPOSITES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("上年结转", re.compile(r"(?:无|没有|不存在|未有)(?:上一?年度?|往年|以前年度)(?:结转|遗留)|上一?年度?未(?:结转|转结)"),
     re.compile(r"(?<![无没有存在])(?:含|包括|包含|其中|另有|有)?(?:上一?年度?|往年|以前年度)(?:结转|遗留)(?![率])")),
]
_TITLE_LINE = re.compile(r"[^\n]{0,60}?((?:19|20)\d\d)\s*年[^\n]{0,60}?(?:报告|情况|总结)")
_HEADING_YEAR = re.compile(r"(?<![至到\-—–－~～])((?:19|20)\d\d)\s*年(?!以来|至|到|[-—–－~～]|起)")
# A heading about last year's findings or a period is allowed to name another year.
_OTHER_YEAR_OK = re.compile(r"问题|整改|反馈|督察|以来|期间|回顾|五年|十四五|规划")

STOCK_UNITS = {"个", "名", "家", "所", "支", "座", "处", "位"}
_ANNUAL_TITLE = re.compile(r"(?:19|20)\d\d\s*年.*(?:报告|总结|统计|年报|情况|工作)|年报|年度")
_HEADING_LINE = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])")

_CHANGE_WORDS = re.compile(r"同比|环比|分别|上升|增长|下降|提高|减少|降低|较上年|比上年|较去年|为|达到?")

COVERAGE_SIMILARITY = 0.6
VERB_SIMILARITY = 0.75
SAME_SUBJECT_MIN_LEN = 6


WINDOW = 2000  # statements kept per polarity for contradiction checks
MAX_SUBJECTS = 200_000  # subjects kept for same-subject checks


def _push(items: list, item: object) -> None:
    items.append(item)
    if len(items) > WINDOW:
        del items[: len(items) - WINDOW]


@dataclass(slots=True)
class Statement:
    subject: str
    negated: bool
    start: int
    end: int


class ConsistencyChecker:
    """Fed paragraph by paragraph; keeps only the small per-document indexes it needs."""

    def __init__(self, year: int | None) -> None:
        self.year = year
        # index 0: affirmed, 1: negated; each entry keeps its character n-grams
        self.statements: tuple[list, list] = ([], [])
        self.verb_statements: tuple[list, list] = ([], [])
        self._seen: set[tuple[bool, str]] = set()
        self.by_subject: dict[tuple[str, str | None, str | None], Claim] = {}
        self.findings: list[Finding] = []
        self._reported_pairs: set[tuple[int, int]] = set()
        self.title: tuple[int, int, int] | None = None  # year, span of the year in the title
        self.annual = True  # a text with a title that names no year's report (a news item) is not annual
        self._opposites: dict[tuple[str, bool], tuple[int, int]] = {}

    # -- the year in the title and in the headings ---------------------------------------------------
    def set_title(self, text: str) -> None:
        """The report's year as its title states it (``2024年某区法治政府建设情况报告``)."""
        pos = 0
        while pos < min(len(text), 400) and text[pos] in " \t\n\u3000":
            pos += 1
        nl = text.find("\n", pos)
        first = text[pos:nl if nl >= 0 else len(text)].strip()
        if first and len(first) <= 40 and not re.search(r"[。，,；;]", first) and not _HEADING_LINE.match(first):
            self.annual = bool(_ANNUAL_TITLE.search(first))
        m = _TITLE_LINE.match(text, pos)
        if m:
            self.title = (int(m.group(1)), m.start(1), m.end(1) + 1)

    def add_heading(self, text: str, start: int, end: int, future: bool) -> None:
        if self.title is None:
            return
        year, ts, te = self.title
        heading = text[start:end]
        if _OTHER_YEAR_OK.search(heading):
            return
        for m in _HEADING_YEAR.finditer(heading):
            y = int(m.group(1))
            if y == year or (y == year + 1 and future) or (y == year + 1 and re.search(r"打算|安排|计划|思路", heading)):
                continue
            self._contradiction(f"报告标题为{year}年，而标题“{clean(heading)}”写的是{y}年",
                                (ts, te), (start + m.start(), start + m.end()))

    # -- statements ---------------------------------------------------------------------------------
    def add_block(self, text: str, start: int, end: int, future: bool = False) -> None:
        """``future``: the paragraph is in the plans part, where statements are goals, not facts."""
        for m in _COVERAGE.finditer(text, start, end):
            i = m.start()
            while i > start and text[i - 1] not in _CLAUSE_BREAKS:
                i -= 1
            clause = text[i:m.start()]
            if future or _GOAL.search(clause):
                continue
            neg = _NEGATION.search(clause[-6:]) is not None
            subject = _NEGATION.sub("", clause) if neg else clause
            subject = _STRIP.sub("", subject).strip()
            if len(subject) < 2:
                continue
            self._add_statement(Statement(subject, neg, i, m.end()))
        block = text[start:end]
        for what, negative, positive in OPPOSITES:
            if "结转" not in block and "遗留" not in block:
                continue
            for rx, neg in ((negative, True), (positive, False)):
                for m in rx.finditer(text, start, end):
                    if not neg and negative.search(text, max(start, m.start() - 4), m.end()):
                        continue
                    key = (what, neg)
                    self._opposites.setdefault(key, (m.start(), m.end()))
                    other = self._opposites.get((what, not neg))
                    if other is not None:
                        a, b = (self._opposites[key], other) if not neg else (other, self._opposites[key])
                        self._contradiction(f"关于“{what}”，一处称“{text[b[0]:b[1]]}”，另一处称“{text[a[0]:a[1]]}”",
                                            a, b)
        for rx, neg in ((_VERB_NEG, True), (_VERB_POS, False)):
            if future and not neg:
                continue
            for m in rx.finditer(text, start, end):
                if not neg and _GOAL.search(text, max(start, m.start() - 6), m.start()):
                    continue
                obj = m["obj"]
                self._add_verb(m["verb"], obj, neg, m.start(), m.end())

    def _add_statement(self, st: Statement) -> None:
        # Each statement is compared with the opposite polarity only (negations are rare), only with
        # the most recent WINDOW distinct ones, so the cost stays linear on huge inputs.
        grams = grams_of(st.subject)
        for other, other_grams in self.statements[not st.negated]:
            if dice(grams, other_grams) >= COVERAGE_SIMILARITY:
                pos, neg = (other, st) if st.negated else (st, other)
                self._contradiction(f"关于“{pos.subject}”，一处称实现全覆盖，另一处称未做到全覆盖",
                                    (pos.start, pos.end), (neg.start, neg.end))
        key = (st.negated, st.subject)
        if key not in self._seen:
            self._seen.add(key)
            _push(self.statements[st.negated], (st, grams))

    def _add_verb(self, verb: str, obj: str, neg: bool, s: int, e: int) -> None:
        grams = None
        for v, _obj, other_grams, s2, e2 in self.verb_statements[not neg]:
            if v != verb:
                continue
            grams = grams or grams_of(obj)
            if dice(grams, other_grams) >= VERB_SIMILARITY:
                self._contradiction(f"关于“{verb}{obj}”，一处称已{verb}，另一处称未{verb}", (s2, e2), (s, e))
        key = (neg, verb + obj)
        if key not in self._seen:
            self._seen.add(key)
            if len(self._seen) > 4 * WINDOW:
                self._seen.clear()
            _push(self.verb_statements[neg], (verb, obj, grams or grams_of(obj), s, e))

    def _contradiction(self, message: str, a: tuple[int, int], b: tuple[int, int]) -> None:
        key = (min(a[0], b[0]), max(a[0], b[0]))
        if key in self._reported_pairs:
            return
        self._reported_pairs.add(key)
        self.findings.append(Finding(FindingKind.CONTRADICTION, message, sorted([a, b])))

    # -- same subject -------------------------------------------------------------------------------
    def add_claims(self, claims: list[Claim], part_ids: set[str]) -> None:
        for c in claims:
            if len(c.subject) < SAME_SUBJECT_MIN_LEN or c.id in part_ids or c.in_brackets:
                continue
            key = (c.subject, c.unit, c.period)
            first = self.by_subject.get(key)
            if first is None:
                if len(self.by_subject) >= MAX_SUBJECTS:
                    self.by_subject.pop(next(iter(self.by_subject)))
                self.by_subject[key] = c
                continue
            if first.sentence == c.sentence or first.value == c.value:
                continue
            if len(_CHANGE_WORDS.sub("", c.subject)) < SAME_SUBJECT_MIN_LEN - 2:
                continue  # "同比分别上升": a change, not a named subject
            if c.qualifier is not Qualifier.EXACT or first.qualifier is not Qualifier.EXACT:
                continue
            self.findings.append(Finding(
                FindingKind.SAME_SUBJECT_DIFFERENT_VALUE,
                f"“{c.subject}”前后两处数值不同：{fmt(first.value)}{first.unit or ''} 与 {fmt(c.value)}{c.unit or ''}",
                [(first.start, first.end), (c.start, c.end)]))

    # -- partial periods ----------------------------------------------------------------------------
    def add_periods(self, claims: list[Claim]) -> None:
        if not self.annual:
            return
        groups: dict[tuple[int, str], list[Claim]] = {}
        for c in claims:
            # a stock counted at a date (截至目前共有调委会69.3万个) is not a flow cut short
            if c.period and is_partial_period(c.period) and c.unit not in STOCK_UNITS:
                groups.setdefault((c.sentence, c.period), []).append(c)
        for (_, period), cs in groups.items():
            year = f"{self.year}年全年" if self.year else "全年"
            self.findings.append(Finding(
                FindingKind.PARTIAL_PERIOD,
                f"年度报告中的数据只统计到“{period}”，不是{year}数据：" + "、".join(clean(c.text) for c in cs),
                [(c.start, c.end) for c in cs]))


_MONTH_DAY = re.compile(r"(\d{1,2})月(?:(\d{1,2})日)?")
_RANGE_END = re.compile(r"[-—–至~～到]((?:\d{1,2})|[一二三四五六七八九十]{1,2})月")


def is_partial_period(period: str) -> bool:
    """``截至12月5日``, ``1-10月``, ``上半年`` are partial; ``截至年底``, ``全年``, ``截至12月31日`` are not."""
    if period.startswith(("截至", "截止")):
        if "年底" in period or "年末" in period:
            return False
        if "目前" in period:
            return True
        m = _MONTH_DAY.search(period)
        if not m:
            return False
        month = int(m.group(1))
        day = int(m.group(2)) if m.group(2) else None
        month_end = period.endswith(("底", "末"))
        return not (month == 12 and (day is None or day == 31 or month_end))
    if period in ("上半年", "下半年", "前三季度") or period.endswith("季度"):
        return True
    m = _RANGE_END.search(period)
    if m:
        from .numerals import parse_number

        end = parse_number(m.group(1))
        return end is not None and end < 12
    return False
