"""Relations between claims inside one paragraph (totals and parts, rates, flows, 同比) and their findings."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from itertools import combinations

from .claims import Claim, Qualifier
from .findings import Finding, FindingKind, Severity


class RelationKind(enum.StrEnum):
    TOTAL_PARTS = "total_parts"
    RATE = "rate"
    FLOW = "flow"
    YOY = "yoy"
    INDICATOR = "indicator"
    GROWTH_RATIO = "growth_ratio"


@dataclass(slots=True)
class Relation:
    kind: RelationKind
    claims: list[str]
    holds: bool
    detail: str

    def as_json(self) -> dict:
        return {"kind": str(self.kind), "claims": list(self.claims), "holds": self.holds, "detail": self.detail}


def fmt(v: Decimal) -> str:
    s = format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def clean(s: str) -> str:
    """Span text for messages: whitespace that a converter inserted is dropped."""
    return re.sub(r"\s+", "", s)


def _grams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} | set(s)


def grams_of(s: str) -> frozenset[str]:
    return frozenset(_grams(s))


def dice(ga: frozenset[str] | set[str], gb: frozenset[str] | set[str]) -> float:
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def similarity(a: str, b: str) -> float:
    """Dice coefficient over characters and character bigrams."""
    if not a or not b:
        return 0.0
    return dice(_grams(a), _grams(b))


def containment(a: str, b: str) -> float:
    """Share of ``a``'s characters and bigrams that occur in ``b``."""
    if not a:
        return 1.0
    ga = _grams(a)
    return len(ga & _grams(b)) / len(ga)


def _compatible(total: Claim, part: Claim) -> bool:
    if part.is_rate or part is total:
        return False
    if part.unit is None and part.value != part.value.to_integral_value() and total.unit is not None:
        return False  # "占98.66": a share without its % sign is no part of a count
    return part.unit == total.unit or part.unit is None or total.unit is None


def _approx(*claims: Claim) -> bool:
    return any(c.qualifier is not Qualifier.EXACT for c in claims)


def _sum_matches(total: Claim, parts: list[Claim]) -> bool:
    s = sum((p.value for p in parts), Decimal(0))
    if s == total.value:
        return True
    if _approx(total, *parts):
        return abs(s - total.value) <= max(Decimal(1), total.value * Decimal("0.05"))
    return False


def _sum_detail(total: Claim, parts: list[Claim], holds: bool) -> str:
    expr = " + ".join(fmt(p.value) for p in parts)
    op = "=" if holds else "≠"
    note = "（含约数）" if holds and sum(p.value for p in parts) != total.value else ""
    return f"{fmt(total.value)} {op} {expr}{note}"


class BlockRelations:
    """Finds relations in one paragraph; ``text`` is the normalised document text."""

    def __init__(self, text: str, block_start: int, block_end: int, claims: list[Claim],
                 sentences: list[tuple[int, int]]) -> None:
        self.text = text
        self.start = block_start
        self.end = block_end
        self.claims = claims
        self.sentences = sentences
        self.relations: list[Relation] = []
        self.findings: list[Finding] = []
        self.part_ids: set[str] = set()
        self.total_of: dict[str, Claim] = {}  # part id → the total it was related to
        self.rated: set[str] = set()  # rate claims already checked

    def run(self) -> None:
        if not self.claims:
            return
        self._totals()
        self._rates()
        self._shares()
        self._impossible_shares()
        self._shares_without_unit()
        self._flow()
        self._yoy()
        self._growth_ratios()

    # -- helpers -------------------------------------------------------------------------------------
    def _sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return self.start, self.end

    def _add_total(self, total: Claim, parts: list[Claim], holds: bool, severity: Severity | None = None,
                   why: str = "") -> None:
        detail = _sum_detail(total, parts, holds)
        self.relations.append(Relation(RelationKind.TOTAL_PARTS, [total.id] + [p.id for p in parts], holds, detail))
        self.part_ids.update(p.id for p in parts)
        for p in parts:
            self.total_of.setdefault(p.id, total)
        if not holds:
            msg = f"“{clean(total.text)}”与所列分项之和不符：{detail}{why}"
            self.findings.append(Finding(FindingKind.SUM_MISMATCH, msg, [(total.start, total.end)] +
                                         [(p.start, p.end) for p in parts], severity))

    # -- totals and parts ---------------------------------------------------------------------------
    def _totals(self) -> None:
        consumed: set[str] = set()
        triggers: list[tuple[int, str, Claim | None]] = []
        brackets = _bracket_spans(self.text, self.start, self.end)
        self.qizhong_positions = []
        for m in re.finditer(r"其中|分别为|分别是|分别", self.text[self.start:self.end]):
            pos = self.start + m.start()
            if any(a < pos < b for a, b in brackets):
                continue  # "42件（其中…）" is handled as a bracket
            if m.group(0).startswith("分别") and self._parallel_subjects(pos):
                continue  # "调解、排查和预防纠纷量分别为A、B和C": values of several subjects, no parts
            triggers.append((pos, "qizhong", None))
            self.qizhong_positions.append(pos)
        for c in self.claims:
            j = c.end
            while j < self.end and self.text[j] in " \u3000":
                j += 1
            if j < self.end and self.text[j] in "（(" and not c.is_rate:
                triggers.append((j, "bracket", c))
        triggers.sort(key=lambda t: t[0], reverse=True)
        for pos, kind, owner in triggers:
            if kind == "bracket":
                assert owner is not None  # a bracket trigger always carries the claim it follows
                self._bracket(pos, owner, consumed)
            else:
                self._qizhong(pos, consumed)
        self._enumerations(consumed)

    def _parallel_subjects(self, pos: int) -> bool:
        i = pos
        while i > self.start and self.text[i - 1] not in "，,；;。：:":
            i -= 1
        clause = self.text[i:pos]
        return not any(i <= c.start < pos for c in self.claims) and re.search(r"[、和及与]", clause) is not None

    def _bracket(self, pos: int, total: Claim, consumed: set[str]) -> None:
        depth, close = 0, self.end
        for i in range(pos, self.end):
            ch = self.text[i]
            if ch in "（(":
                depth += 1
            elif ch in "）)":
                depth -= 1
                if depth == 0:
                    close = i
                    break
        parts = [c for c in self.claims if pos < c.start < close and c.id not in consumed and _compatible(total, c)]
        # Nested brackets inside: keep only the outermost level.
        parts = [p for p in parts if not any(q is not p and q.start < p.start and _in_bracket_of(self.text, q, p)
                                             for q in parts)]
        if not parts or "同比" in self.text[pos:close] or "上年" in self.text[pos:close]:
            return
        if len(parts) == 1:
            holds = parts[0].value <= total.value or _approx(total, parts[0])
            self.relations.append(Relation(RelationKind.TOTAL_PARTS, [total.id, parts[0].id], holds,
                                           f"{fmt(parts[0].value)} {'≤' if holds else '>'} {fmt(total.value)}"))
            if not holds:
                self.findings.append(Finding(
                    FindingKind.SUM_MISMATCH, f"括号内分项“{parts[0].text}”大于总数“{total.text}”",
                    [(total.start, total.end), (parts[0].start, parts[0].end)]))
        else:
            holds = _sum_matches(total, parts)
            self._add_total(total, parts, holds)
        consumed.update(p.id for p in parts)

    def _qizhong(self, pos: int, consumed: set[str]) -> None:
        s_start, s_end = self._sentence_of(pos)
        # A nested chain "A，其中B，其中C、D": the second 其中's totals start after the first 其中.
        floor = max((p for p in self.qizhong_positions if p < pos), default=self.start)
        before = [c for c in self.claims if floor <= c.start and c.end <= pos and not c.is_rate
                  and not c.in_brackets and c.id not in consumed]
        same_sentence = [c for c in before if c.start >= s_start]
        if same_sentence:
            # The nearest total, plus parallel totals right before it ("受理A件，成功B件，其中…").
            totals = [same_sentence[-1]]
            for c in reversed(same_sentence[:-1]):
                if c.unit != totals[0].unit:
                    break
                totals.insert(0, c)
            n_clause = len([c for c in self.claims if pos < c.start < s_end and _compatible(totals[-1], c)
                            and not c.in_brackets])
            if len(totals) > 1 and n_clause % len(totals) != 0:
                totals = totals[-1:]
        else:
            # "…23件。其中，…": the totals are in the previous sentence (its rates are skipped).
            prev = [e for _s, e in self.sentences if e <= s_start]
            prev_start = self._sentence_of(prev[-1] - 1)[0] if prev else s_start
            totals = [c for c in before if c.start >= prev_start]
        if not totals:
            return
        # Only an unambiguous total is reported as not adding up.
        nearest = totals[-1] if same_sentence or len(totals) == 1 else None
        clause_end = s_end
        # pool: the 其中 sentence plus the next two sentences of the paragraph
        later = [e for s, e in self.sentences if s >= s_end][:2]
        pool_end = later[-1] if later else s_end
        pool = [c for c in self.claims if pos < c.start < pool_end and not c.in_brackets and c.id not in consumed]
        done = False
        for total in reversed(totals):
            candidates = [c for c in pool if _compatible(total, c) and c.value <= total.value]
            clause = [c for c in pool if c.start < clause_end and _compatible(total, c)]
            if not clause:
                continue
            found = self._best_subset(total, candidates, clause)
            if found is not None:
                self._add_total(total, found, True)
                consumed.update(p.id for p in found)
                done = True
        # Nothing added up: judge the nearest total against the parts listed in the 其中 sentence.
        for total in totals:
            clause = [c for c in pool if c.start < clause_end and _compatible(total, c)]
            if total is nearest and not done and clause:
                parts = [c for c in clause if c.unit == total.unit or c.unit is None]
                # Parallel lists ("受理A件，成功B件，其中X受理a件，成功b件") are not this total's parts.
                if len(totals) > 1 and len(parts) % len(totals) == 0:
                    parts = parts[len(totals) - 1::len(totals)]
                if not parts:
                    continue
                s = sum((p.value for p in parts), Decimal(0))
                if s > total.value and not _approx(total, *parts):
                    self._add_total(total, parts, False, why="（分项之和大于总数）")
                    consumed.update([total.id] + [p.id for p in parts])
                elif len(parts) >= 2 and s < total.value and not _approx(total, *parts) and \
                        _looks_exhaustive(self.text, total, parts, s):
                    self._add_total(total, parts, False, Severity.WARNING, "（分项之和小于总数，请确认是否列全）")
                    consumed.update([total.id] + [p.id for p in parts])
                elif len(parts) == 1 and parts[0].value <= total.value:
                    self.relations.append(Relation(RelationKind.TOTAL_PARTS, [total.id, parts[0].id], True,
                                                   f"{fmt(parts[0].value)} ≤ {fmt(total.value)}"))
                    consumed.add(parts[0].id)

    def _best_subset(self, total: Claim, candidates: list[Claim], clause: list[Claim]) -> list[Claim] | None:
        if not candidates:
            return None
        clause_ok = [c for c in clause if c in candidates]
        if clause_ok and _sum_matches(total, clause_ok):
            return clause_ok
        anchor = max(clause, key=lambda c: (similarity(total.subject, c.subject), -c.start))
        if anchor not in candidates:
            return None
        if anchor.value == total.value:
            return [anchor]
        others = [c for c in candidates if c is not anchor][:10]
        best: tuple[float, int, list[Claim]] | None = None
        for size in range(1, min(5, len(others)) + 1):
            for combo in combinations(others, size):
                parts = sorted((anchor, *combo), key=lambda c: c.start)
                if not _sum_matches(total, parts):
                    continue
                score = sum(similarity(total.subject, p.subject) + similarity(anchor.subject, p.subject)
                            for p in combo) / size
                key = (score, -size)
                if best is None or key > best[:2]:
                    best = (score, -size, parts)
        return best[2] if best else None

    def _enumerations(self, consumed: set[str]) -> None:
        for i, total in enumerate(self.claims):
            if not total.total_marker or total.is_rate or total.id in consumed or total.id in self.part_ids:
                continue
            s_start, s_end = self._sentence_of(total.start)
            parts: list[Claim] = []
            prev_end = total.end
            for c in self.claims[i + 1:]:
                if c.start >= s_end:
                    break
                gap = self.text[prev_end:c.start]
                if not _compatible(total, c) or c.in_brackets:
                    break
                if parts and "、" not in gap:
                    break
                if not parts and not re.search(r"[，,：:]", gap):
                    break
                parts.append(c)
                prev_end = c.end
            if len(parts) < 2:
                continue
            holds = _sum_matches(total, parts)
            if holds or len(parts) >= 3:
                self._add_total(total, parts, holds, Severity.WARNING if not holds else None)
                consumed.update(p.id for p in parts)

    # -- rates ------------------------------------------------------------------------------------------
    def _rates(self) -> None:
        for idx, rate in enumerate(self.claims):
            if rate.unit not in ("%", "成") or "率" not in rate.subject:
                continue
            stem = rate.subject[: rate.subject.rfind("率")]
            stem = re.sub(r"(?:的|平均|总体|综合)$", "", stem)
            key = stem[-2:]
            if len(key) < 2:
                continue
            s_start, _ = self._sentence_of(rate.start)
            earlier = [c for c in self.claims[:idx] if c.start >= s_start and not c.is_rate]
            numerator = next((c for c in reversed(earlier) if key in c.subject or key in self._lead(c, earlier)), None)
            if numerator is None:
                continue
            denominator = next((c for c in reversed(earlier) if c.start < numerator.start and
                                c.unit == numerator.unit and c.value >= numerator.value), None)
            if denominator is None or denominator.value == 0:
                continue
            prefix = stem[:-2]
            if len(prefix) >= 2 and containment(prefix, numerator.subject + denominator.subject) < 0.5:
                continue  # the rate is about a narrower subject ("欠薪案件结案率")
            self._check_rate(rate, numerator, denominator)

    _BOUNDED = re.compile(r"比例|占比|比重|覆盖率|出庭率|结案率|办结率|审结率|成功率|知晓率|满意率|满意度|合格率|"
                          r"纠错率|受理率|持证率|公开率|调处率|履行率")
    _UNBOUNDED = re.compile(r"增|提高|上升|下降|减少|完成率|超额|同比|较|比上年")

    def _shares_without_unit(self) -> None:
        """"社会律师办案占98.66，": a share written without its % sign."""
        for c in self.claims:
            if c.unit is None and c.value != c.value.to_integral_value() and c.value < 100 and \
                    re.search(r"(?:占|占比|比例|比重|为)$", c.subject) and "占" in c.subject + self.text[
                        max(self.start, c.start - 2):c.start]:
                self.findings.append(Finding(
                    FindingKind.MISSING_UNIT, f"“{c.subject}{clean(c.text)}”缺少单位（应为百分比？）",
                    [(c.start, c.end)]))

    def _impossible_shares(self) -> None:
        """A share or a rate of a whole (比例, 出庭率, 满意度) above 100 % cannot be right."""
        for c in self.claims:
            if c.unit != "%" or c.value <= 100 or c.id in self.rated:
                continue
            if not self._BOUNDED.search(c.subject) or self._UNBOUNDED.search(c.subject):
                continue
            self.rated.add(c.id)
            self.findings.append(Finding(
                FindingKind.RATE_MISMATCH, f"“{c.subject}{clean(c.text)}”超过100%，比例不可能大于全部",
                [(c.start, c.end)]))

    _OF_WHOLE = re.compile(r"总数|总量|总额|全部|总计|合计")
    _SHARE_SUBJECT = re.compile(r"占比|^占|所占|比例|比重")

    def _shares(self) -> None:
        """"其中维持380件，占比67.9%": a share of the part in the total named before it."""
        for idx, rate in enumerate(self.claims):
            if rate.unit not in ("%", "成") or rate.id in self.rated or "率" in rate.subject \
                    or not self._SHARE_SUBJECT.search(rate.subject):
                continue
            s_start, _ = self._sentence_of(rate.start)
            earlier = self.claims[:idx]
            num = next((c for c in reversed(earlier) if not c.in_brackets or rate.in_brackets), None)
            if num is None or num.is_rate or num.start < s_start and num.start < self.start:
                continue
            if num.unit is None and num.value != num.value.to_integral_value():
                continue
            if re.search(r"[。；;]", self.text[num.end:rate.start]):
                continue  # the share is not of the figure just before it
            den = self.total_of.get(num.id)
            if den is None:
                prev = [e for _s, e in self.sentences if e <= s_start]
                lo = self._sentence_of(prev[-1] - 1)[0] if prev else s_start
                candidates = [c for c in reversed(earlier) if c is not num and lo <= c.start < num.start
                              and not c.is_rate and c.unit == num.unit and c.value > num.value]
                qz = self.text.rfind("其中", lo, num.start)
                before_qz = [c for c in candidates if qz >= 0 and c.end <= qz]
                if self._OF_WHOLE.search(rate.subject) and candidates:
                    den = max(candidates, key=lambda c: c.value)  # "占调解纠纷总数的": the whole
                elif before_qz:
                    den = before_qz[0]  # "480件，其中维持312件，占比65%；撤销24件，占比5%": the 其中 total
                else:
                    den = candidates[0] if candidates else None
            if den is None or den.value == 0:
                continue
            self._check_rate(rate, num, den)

    def _lead(self, c: Claim, earlier: list[Claim]) -> str:
        """The words before ``c`` since the previous figure ("其中纠错（含撤销、确认违法）29件")."""
        prev_end = max((p.end for p in earlier if p.end <= c.start), default=max(self.start, c.start - 30))
        return self.text[max(prev_end, c.start - 30):c.start]

    def _check_rate(self, rate: Claim, num: Claim, den: Claim) -> None:
        shown = rate.value * (10 if rate.unit == "成" else 1)
        exact = num.value / den.value * 100
        q = Decimal(1).scaleb(-_places(shown))
        rounded = exact.quantize(q, rounding=ROUND_HALF_UP)
        truncated = exact.quantize(q, rounding=ROUND_DOWN)
        ids = [rate.id, num.id, den.id]
        base = f"{fmt(num.value)} / {fmt(den.value)} = {fmt(exact.quantize(Decimal('0.0001')))}%"
        if rate.qualifier is Qualifier.AT_LEAST:
            holds, how = exact >= shown, "不低于所写值"
        elif rate.qualifier is Qualifier.AT_MOST:
            holds, how = exact <= shown, "不高于所写值"
        elif rounded == shown:
            holds, how = True, "四舍五入"
        elif truncated == shown:
            holds, how = True, "截断"
        elif rate.qualifier is Qualifier.APPROX or _approx(num, den):
            holds, how = abs(exact - shown) <= 1, "约数"
        else:
            holds, how = False, ""
        detail = f"{base}，报告写{fmt(rate.value)}{rate.unit}" + (f"（{how}）" if holds else "")
        self.relations.append(Relation(RelationKind.RATE, ids, holds, detail))
        self.rated.add(rate.id)
        if not holds:
            message = f"“{rate.subject}{clean(rate.text)}”与“{num.text}/{den.text}”不符：按四舍五入应为{fmt(rounded)}%"
            spans = [(rate.start, rate.end), (num.start, num.end), (den.start, den.end)]
            other = self._other_denominator(rate, num, den, shown, q)
            if other is not None:
                message += f"；该值与“{num.text}/{other.text}”相符，疑为用错了分母（应以“{den.text}”为分母）"
                spans.append((other.start, other.end))
            self.findings.append(Finding(FindingKind.RATE_MISMATCH, message, spans))

    def _other_denominator(self, rate: Claim, num: Claim, den: Claim, shown: Decimal, q: Decimal) -> Claim | None:
        for c in self.claims:
            if c is num or c is den or c.is_rate or c.value <= 0 or c.value < num.value:
                continue
            if not (c.unit == num.unit or c.unit is None or num.unit is None):
                continue
            exact = num.value / c.value * 100
            if exact.quantize(q, rounding=ROUND_HALF_UP) == shown or exact.quantize(q, rounding=ROUND_DOWN) == shown:
                return c
        return None

    # -- flows --------------------------------------------------------------------------------------
    _OPEN = re.compile(r"期初|年初|上年末|上年底|上年结转")
    _IN = re.compile(r"接收|新接收|新增|入矫|新列管|列管")
    _OUT = re.compile(r"解除|终止|期满|收监|死亡|变更|迁出|转出")
    _CLOSE = re.compile(r"在册|在矫|期末|年末|现有")

    _DELTA = re.compile(r"(?:较|比)(?:年初|期初|上年末|上年底)(?P<dir>减少|下降|增加|增长|新增)")

    def _flow(self) -> None:
        opening = closing = delta = None
        ins: list[Claim] = []
        outs: list[Claim] = []
        for c in self.claims:
            if c.is_rate or c.in_brackets:
                continue
            if self._DELTA.search(c.subject):
                delta = c  # "较年初减少5名": a change of the stock, not the opening stock
            elif self._OPEN.search(c.subject):
                opening = opening or c
            elif self._CLOSE.search(c.subject):
                closing = closing or c
            elif self._IN.search(c.subject):
                ins.append(c)
            elif self._OUT.search(c.subject):
                outs.append(c)
        opening_value = opening.value if opening is not None else None
        if opening is None and delta is not None and closing is not None:
            change = self._DELTA.search(delta.subject)
            assert change is not None  # `delta` was picked because its subject matches _DELTA
            sign = -1 if change["dir"] in ("减少", "下降") else 1
            opening_value = closing.value - sign * delta.value
            opening = delta
        if opening is None or closing is None or opening_value is None or not (ins or outs):
            return
        ins = [c for c in ins if c.unit == closing.unit]
        outs = [c for c in outs if c.unit == closing.unit]
        expected = opening_value + sum((c.value for c in ins), Decimal(0)) - sum((c.value for c in outs), Decimal(0))
        holds = expected == closing.value
        expr = fmt(opening_value) + "".join(f" + {fmt(c.value)}" for c in ins) + "".join(
            f" − {fmt(c.value)}" for c in outs)
        detail = f"{fmt(closing.value)} {'=' if holds else '≠'} {expr}"
        ids = [closing.id, opening.id] + [c.id for c in ins + outs]
        self.relations.append(Relation(RelationKind.FLOW, ids, holds, detail))
        if not holds:
            self.findings.append(Finding(
                FindingKind.FLOW_MISMATCH,
                f"“{closing.subject}{closing.text}”与期初、增减不符：{expr} = {fmt(expected)}",
                [(c.start, c.end) for c in [closing, opening, *ins, *outs]]))

    # -- 同比 ------------------------------------------------------------------------------------------
    def _growth_ratios(self) -> None:
        """"同比增长30%，是上年增幅10%的3倍": the multiple must be the ratio of the two growth rates."""
        for idx, times in enumerate(self.claims):
            if times.unit != "倍" or "是" not in self.text[max(self.start, times.start - 30):times.start]:
                continue
            s_start, _ = self._sentence_of(times.start)
            growth = [c for c in self.claims[:idx] if c.start >= s_start and c.unit == "%"
                      and _GROWTH_BEFORE.search(self.text[max(self.start, c.start - 6):c.start])]
            if len(growth) < 2:
                continue
            b = growth[-1]  # "是上年增幅10%的3倍": the base is the rate right before the multiple
            if re.search(r"[，,；;]", self.text[b.end:times.start]):
                continue
            a = growth[-2]
            if b.value == 0:
                continue
            ratio = a.value / b.value
            holds, how = _growth_ratio_ok(ratio, times)
            detail = f"{fmt(a.value)}% / {fmt(b.value)}% = {fmt(ratio.quantize(Decimal('0.01')))}，报告写{fmt(times.value)}倍"
            if holds:
                detail += f"（{how}）"
            self.relations.append(Relation(RelationKind.GROWTH_RATIO, [times.id, a.id, b.id], holds, detail))
            if not holds:
                self.findings.append(Finding(
                    FindingKind.YOY_MISMATCH, f"增幅倍数“{clean(times.text)}”与两个增幅之比不符：{detail}",
                    [(times.start, times.end), (a.start, a.end), (b.start, b.end)]))

    _YOY = re.compile(r"(?:同比|较上年|比上年|较去年|比去年)(?P<dir>增长|上升|提高|增加|下降|减少|降低)")

    def _yoy(self) -> None:
        for rate in self.claims:
            if rate.unit != "%":
                continue
            found = list(self._YOY.finditer(self.text, max(self.start, rate.start - 12), rate.start))
            if not found:
                continue
            m = found[-1]
            s_start, s_end = self._sentence_of(rate.start)
            same = [c for c in self.claims if s_start <= c.start < s_end and not c.is_rate and c is not rate]
            prev = next((c for c in same if re.search(r"上年|去年|上一年|同期", c.subject + self.text[
                max(self.start, c.start - 6):c.start])), None)
            current = next((c for c in reversed(same) if c is not prev and c.start < rate.start
                            and (prev is None or c.unit == prev.unit)), None)
            if prev is None or current is None:
                continue
            prev_value = prev.value
            delta = re.search(r"(增加|增长|多|减少|下降|少)$", prev.subject)
            if delta:
                # "较上年增加75名": the figure is the change, the previous year is current − change.
                sign = -1 if delta.group(1) in ("减少", "下降", "少") else 1
                prev_value = current.value - sign * prev.value
            if prev_value == 0:
                continue
            change = (current.value - prev_value) / prev_value * 100
            if m["dir"] in ("下降", "减少", "降低"):
                change = -change
            q = Decimal(1).scaleb(-_places(rate.value))
            ok_round = change.quantize(q, rounding=ROUND_HALF_UP) == rate.value
            ok_trunc = change.quantize(q, rounding=ROUND_DOWN) == rate.value
            holds = ok_round or ok_trunc or (rate.qualifier is not Qualifier.EXACT and abs(change - rate.value) <= 1)
            detail = (f"({fmt(current.value)} − {fmt(prev_value)}) / {fmt(prev_value)} = "
                      f"{fmt(change.quantize(Decimal('0.01')))}%，报告写{m['dir']}{fmt(rate.value)}%")
            if holds:
                detail += "（四舍五入）" if ok_round else "（截断）" if ok_trunc else "（约数）"
            self.relations.append(Relation(RelationKind.YOY, [rate.id, current.id, prev.id], holds, detail))
            if not holds:
                self.findings.append(Finding(
                    FindingKind.YOY_MISMATCH, f"同比“{m['dir']}{rate.text}”与两年数值不符：{detail}",
                    [(rate.start, rate.end), (current.start, current.end), (prev.start, prev.end)]))


_GROWTH_BEFORE = re.compile(r"(?:增长|增幅|增速|上升|提高|下降|降幅|减少)(?:了|为|达|达到)?$")


def _growth_ratio_ok(ratio: Decimal, shown: Claim) -> tuple[bool, str]:
    q = Decimal(1).scaleb(-_places(shown.value))
    if shown.qualifier is Qualifier.AT_LEAST:
        return ratio >= shown.value, "不低于所写值"
    if shown.qualifier is Qualifier.AT_MOST:
        return ratio <= shown.value, "不高于所写值"
    if ratio.quantize(q, rounding=ROUND_HALF_UP) == shown.value:
        return True, "四舍五入"
    if ratio.quantize(q, rounding=ROUND_DOWN) == shown.value:
        return True, "截断"
    if shown.qualifier is Qualifier.APPROX:
        return abs(ratio - shown.value) <= max(q, shown.value * Decimal("0.05")), "约数"
    return False, ""


def _looks_exhaustive(text: str, total: Claim, parts: list[Claim], s: Decimal) -> bool:
    """"其中" often lists only some parts ("3380个，其中113个看守所、173个法院…"): a shortfall is reported
    only for a list that claims to be whole (其他/其余 among its parts) or covers most of the total."""
    last = parts[-1]
    if re.search(r"其他|其它|其余|另有|剩余", text[max(0, last.start - 12):last.start]):
        return True
    return s >= total.value * Decimal("0.9")


def _places(v: Decimal) -> int:
    """Decimal places as written: 99.69 → 2, 99.90 → 2, 99 → 0."""
    exponent = v.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _bracket_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, stack = [], []
    for m in re.finditer(r"[（()）]", text[start:end]):
        if m.group(0) in "（(":
            stack.append(start + m.start())
        elif stack:
            spans.append((stack.pop(), start + m.start()))
    return spans


def _in_bracket_of(text: str, outer: Claim, inner: Claim) -> bool:
    seg = text[outer.end:inner.start]
    return seg.count("（") + seg.count("(") > seg.count("）") + seg.count(")")
