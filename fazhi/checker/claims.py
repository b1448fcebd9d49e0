"""Claim extraction: every numeric statement with its value, unit, qualifier, subject, period and section."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal

from .numerals import FULLWIDTH, parse_number, parse_quantity


class Qualifier(enum.StrEnum):
    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


# 量词, longest first inside the alternation.
UNITS = sorted(
    """件/次 美元 人次 户次 场次 批次 车次 架次 班次 件次 个百分点 方面 分钟 百分点 平方米 公里 小时 件 次 人 名 位 元 个 份 场 条 家 项 本 期 块 批 所 张 点 册
    户 起 宗 篇 支 处 座 台 套 种 类 部 辆 天 亩 吨 间 栋 轮 封 单 例 家次 人天 课时 堂 节 集 幅 面 盏 则 分 卷 倍 番""".split(),
    key=len,
    reverse=True,
)
# A unit followed by these characters is part of a word, not a 量词 ("十万人口", "一件事", "条例").
UNIT_WORD_FOLLOWERS = {
    "人": "口员民大",
    "项": "目",
    "件": "事",
    "次": "性",
    "期": "间限刊",
    "家": "庭长属乡",
    "条": "例件款",
    "本": "级部区届",
    "场": "所景地",
    "份": "额",
    "名": "单称义誉",
    "位": "置于",
    "个": "体性",
    "点": "位",
    "部": "门署分",
    "面": "向积",
    "处": "理罚置分",
    "批": "准复评",
    "台": "账",
    "类": "型",
    "种": "类",
    "间": "隔",
    "起": "来草诉",
    "单": "位",
    "元": "旦",
    "分": "钟之析别类管局项值数子歧布配工期批",
    "方": "面式法案向",
    "倍": "增数",
}
# Numbers that are names, not counts.
NAME_PATTERNS = re.compile(
    r"两个确立|两个维护|四个意识|四个自信|两高三部|三项制度|一件事一次办|十四五|十五五|十三五|八五普法|七五普法|"
    r"两卡|三中全会|二中全会|四中全会|一中全会|五中全会|六中全会"
)
_APPROX_PRE = {"约": Qualifier.APPROX, "近": Qualifier.APPROX, "将近": Qualifier.APPROX, "大约": Qualifier.APPROX,
               "超": Qualifier.AT_LEAST, "超过": Qualifier.AT_LEAST, "逾": Qualifier.AT_LEAST,
               "上": Qualifier.AT_LEAST, "不足": Qualifier.AT_MOST, "不到": Qualifier.AT_MOST}
_POST = {"余": Qualifier.APPROX, "多": Qualifier.APPROX, "左右": Qualifier.APPROX, "以上": Qualifier.AT_LEAST,
         "以下": Qualifier.AT_MOST, "以内": Qualifier.AT_MOST}

_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = r"[零〇○一二两三四五六七八九十百千万亿]+(?:点[零〇○一二三四五六七八九]+)?"
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
CLAIM_RE = re.compile(
    r"(?=[0-9零〇○一二两三四五六七八九十百千万亿将大超不约近逾上])"
    rf"(?P<pre>将近|大约|超过|不足|不到|约|近|超|逾|上)?"
    rf"(?:"
    rf"百分之(?P<pc>{_CN}|{_AR})"
    rf"|(?P<fden>{_CN}|{_AR})分之(?P<fnum>{_CN}|{_AR})"
    rf"|(?P<snum>\d{{1,3}})/(?P<sden>\d{{1,3}})(?![\d/])"
    rf"|(?P<ar>{_AR})(?P<q1>余|多)?(?P<mult>[千万亿]+)?(?P<q2>余|多)?"
    rf"(?:(?P<pct>\s*%)|(?P<cheng>成)(?![功效为果立员本绩熟就都型交年品])|(?P<unit>{_UNIT_RE}))?"
    rf"|(?P<cn>{_CN})(?P<cq>余|多)?(?:(?P<ccheng>成)(?![功效为果立员本绩熟就都型交年品])|(?P<cunit>{_UNIT_RE}))"
    rf")"
    rf"(?P<post>以上|以下|以内|左右)?"
)
_UNITLESS_FOLLOW = set("，。、；;,）)：:！？!? \t\r\n")
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", '"': '"'}
_CLAUSE_BREAK = set("，。；;：:、,！？!?\n（(）)")
_SUBJECT_PREFIXES = (
    "其中", "全年", "共计", "合计", "总计", "累计", "共有", "共", "现有", "现", "已", "并", "和", "及", "同时",
    "今年以来", "年初以来", "全区", "均达", "均", "分别", "达到", "达", "另", "此外",
)
_SUBJECT_SUFFIXES = ("共计", "累计", "合计", "总计", "共", "达到", "达", "为", "计", "人民币", "均", "分别为", "分别", "约")
PERIOD_RE = re.compile(
    r"截[至止]到?(?:(?:19|20)\d\d年)?(?:\d{1,2}月(?:\d{1,2}日|底|末)?|年底|年末|底|目前)"
    r"|(?:(?:19|20)\d\d年)?(?:1|一)(?:月)?[-—–至~～到](?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:份)?"
    r"|上半年|下半年|前三季度|(?:第)?[一二三四1-4]季度"
    r"|全年|今年以来|年初以来|(?:19|20)\d\d年(?:度)?以来|(?:19|20)\d\d年度"
)
RATE_SUBJECT_RE = re.compile(r"率|比例|占比|比重")


@dataclass(slots=True)
class Claim:
    id: str
    start: int
    end: int
    text: str
    value: Decimal
    unit: str | None
    qualifier: Qualifier
    subject: str
    period: str | None
    section: str | None
    # internal, not part of the JSON contract
    block: int = 0
    sentence: int = 0  # global sentence index
    in_brackets: bool = False
    total_marker: bool = False  # preceded by 共/共计/累计/合计
    # a table cell: its row label and column header (part of the JSON only for table cells)
    table_row: str | None = None
    table_column: str | None = None

    @property
    def is_rate(self) -> bool:
        return self.unit in ("%", "成", "‰", "分之")

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": _json_number(self.value),
            "unit": self.unit,
            "qualifier": str(self.qualifier),
            "subject": self.subject,
            "period": self.period,
            "section": self.section,
        } | ({"table_row": self.table_row, "table_column": self.table_column} if self.table_row is not None else {})


def _json_number(v: Decimal) -> int | float:
    if v == v.to_integral_value():
        return int(v)
    return float(round(v, 6))


_ANY_FIGURE = re.compile(r"[0-9零〇○一二两三四五六七八九十百千万亿]")
_QUOTED_RE = re.compile(r"“[^”\n]{0,80}”|‘[^’\n]{0,80}’|「[^」\n]{0,80}」|『[^』\n]{0,80}』|《[^》\n]{0,80}》|\"[^\"\n]{0,80}\"")
_BRACKET_RE = re.compile(r"[（()）]")


def _quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Short quoted names (≤ 12 chars in “…”) and every 《…》 title inside ``text[start:end]``."""
    return [(m.start(), m.end()) for m in _QUOTED_RE.finditer(text, start, end)
            if m.group(0)[0] == "《" or m.end() - m.start() - 2 <= 12]


def _bracket_depth_map(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    stack = []
    for m in _BRACKET_RE.finditer(text, start, end):
        if m.group(0) in "（(":
            stack.append(m.start())
        elif stack:
            spans.append((stack.pop(), m.end()))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


def find_claims_in_block(
    text: str, norm: str, block_index: int, block_start: int, block_end: int, sentences: list[tuple[int, int]],
    sentence_base: int, section: str | None, next_id: int, markers: ListMarkers | None = None,
) -> list[Claim]:
    """Claims in one paragraph. ``norm`` is ``text`` with full-width digits mapped to ASCII (same length)."""
    if _ANY_FIGURE.search(norm, block_start, block_end) is None:
        return []  # a label line of a table, a heading without figures
    quoted = _quoted_spans(text, block_start, block_end)
    brackets = _bracket_depth_map(norm, block_start, block_end)
    claims: list[Claim] = []
    sent_idx = 0
    prev_end = block_start
    periods: dict[int, list[tuple[int, str]]] = {}
    names = [(nm.start(), nm.end()) for nm in NAME_PATTERNS.finditer(norm, block_start, block_end)]
    glued = markers.scan(norm, block_start, block_end) if markers is not None else {}
    for m in CLAIM_RE.finditer(norm, block_start, block_end):
        glued_item = m.start() in glued
        if glued_item:
            # "313个市州" in a list whose items are numbered 1, 2, 3 without a dot: item 3, 13个市州
            m2 = CLAIM_RE.match(norm, glued[m.start()], block_end)
            if m2 is None:
                continue
            m = m2
        s, e = m.span()
        (pre, g_pc, g_fden, g_fnum, g_snum, g_sden, g_ar, g_q1, g_mult, g_q2, g_pct, g_cheng, g_unit, g_cn,
         g_cq, g_ccheng, g_cunit, g_post) = m.groups()
        num_start = s + (len(pre) if pre else 0)
        if pre == "上" and not (g_cn and g_cn in ("百", "千", "万")):
            # "上" qualifies only 上千/上万; otherwise drop it from the span.
            pre, s = None, num_start
        if pre and not (g_ar or g_cn or g_pc or g_fden or g_snum):
            continue
        if (g_unit is None or g_unit in "期条") and _CHROME_HINT.search(
                norm, max(block_start, num_start - 12), min(block_end, e + 6)) and \
                _in_chrome(norm, num_start, block_start, block_end):
            continue  # dates (2024-03-28 09:18), page chrome (1 条记录 1/1 页), journal issues (2017年6期)
        before = norm[num_start - 1] if num_start > block_start else "\n"
        after = norm[e] if e < block_end else "\n"
        if before in "第+＋表图" or after in "+＋" or (before.isascii() and before.isalpha()):
            continue
        if after.isascii() and after.isalpha() and not g_pct:
            continue
        if (after in ":：" and e + 1 < block_end and norm[e + 1].isdigit()) or (
                before in ":：" and num_start >= 2 and norm[num_start - 2].isdigit()):
            continue  # clock times 9:00-17:00
        if (quoted and _inside(num_start, quoted)) or (names and any(a < e and num_start < b for a, b in names)):
            continue
        unit: str | None
        qualifier = _APPROX_PRE.get(pre, Qualifier.EXACT) if pre else Qualifier.EXACT
        if g_pc is not None:
            q = parse_quantity("百分之" + g_pc)
            if q is None:
                continue
            unit, claims_value = "%", q.value
        elif g_fden is not None:
            q = parse_quantity(g_fden + "分之" + g_fnum)
            if q is None:
                continue
            unit, claims_value = q.unit, q.value
        elif g_snum is not None:
            # "1/4左右": a fraction written with a slash (not a date, not "1/1 页")
            num_v, den_v = Decimal(g_snum), Decimal(g_sden)
            if den_v <= num_v or den_v == 0 or (num_start > block_start and norm[num_start - 1] in "/-."):
                continue
            unit, claims_value = "分之", num_v / den_v
        elif g_ar is not None:
            ar, mult = g_ar, g_mult or ""
            unit = g_unit
            if g_pct:
                unit = "%"
            elif g_cheng:
                unit = "成"
            if unit is None:
                if "." not in ar and len(ar) >= 2 and ar[0] == "0":
                    continue  # "07 版", "09": page numbers and date parts, not figures
                if mult:
                    # "5万" with no unit: keep it only before a boundary.
                    if after not in _UNITLESS_FOLLOW:
                        continue
                elif not _unitless_ok(norm, ar, num_start, e, block_start, block_end, after):
                    continue
            if unit == "个" and after == "案" and not norm.startswith(("案例", "案件"), e):
                continue  # 个案 (a single case), but 4个案例 is a count
            if unit and unit[0] in UNIT_WORD_FOLLOWERS and after in UNIT_WORD_FOLLOWERS[unit[0]] and \
                    len(unit) == 1:
                if mult or g_q1 or g_q2:
                    e -= len(unit)  # "8.20万亿人民币": the figure ends before the word
                    after = norm[e] if e < block_end else "\n"
                    unit = None
                else:
                    continue
            if mult and unit in ("元", "美元"):
                unit = mult + unit
                value = parse_number(ar)
            else:
                value = parse_number(ar + mult)
            if value is None:
                continue
            for qq in (g_q1, g_q2):
                if qq:
                    qualifier = _POST[qq]
            claims_value = value
        else:
            cn = g_cn
            unit = "成" if g_ccheng else g_cunit
            doubling = unit == "番" and before == "翻"
            if unit == "番" and not doubling:
                continue  # 一番努力
            if doubling:
                s = num_start - 1  # "翻一番": the span includes 翻 (the value counts doublings)
            elif cn in ("一", "万", "亿", "百", "千") and not pre:
                continue  # 一件事, 万件清理, 百人千场, 千家万户: idioms, not counts
            if cn == "十" and unit in ("分", "点", "分钟", "方面", "成"):
                continue  # 十分重视, 十点
            if cn in ("千", "万", "百") and pre not in ("超", "近", "上", "约", "逾", "将近", "超过"):
                continue
            if unit and len(unit) == 1 and after in UNIT_WORD_FOLLOWERS.get(unit, ""):
                continue
            if before in "一二三四五六七八九十两" and cn in "一二三四五六七八九十":
                continue
            if unit == "成" and after in "一二三四五六七八九" and (e + 1 >= block_end or norm[e + 1] not in
                                                               "十百千万亿零〇一二三四五六七八九两成"):
                # 八成五 = 8.5成
                cn = cn + "点" + after
                e += 1
                after = norm[e] if e < block_end else "\n"
                if norm.startswith(("以上", "以下", "左右"), e):
                    g_post = norm[e:e + 2]
                    e += 2
            if unit == "元" and cn[-1] in "万亿" and len(cn) > 1:
                unit = cn[-1] + "元"
                cn = cn[:-1]
            value = parse_number(cn)
            if value is None:
                continue
            if g_cq:
                qualifier = _POST[g_cq]
            claims_value = value
        if g_post:
            qualifier = _POST[g_post]
        # sentence index
        while sent_idx + 1 < len(sentences) and sentences[sent_idx][1] <= s:
            sent_idx += 1
        sent_start = sentences[sent_idx][0]
        subject = _subject(norm, max(sent_start, prev_end, block_start), s)
        if glued_item:
            subject = subject.lstrip("0123456789")
        if not subject and claims and claims[-1].sentence == sentence_base + sent_idx:
            subject = claims[-1].subject
        if sent_idx not in periods:
            periods[sent_idx] = [(pm.start(), pm.group(0)) for pm in PERIOD_RE.finditer(
                norm, sent_start, sentences[sent_idx][1])]
        period = None
        for ppos, ptext in periods[sent_idx]:
            if ppos < s:
                period = ptext
        lead = norm[max(block_start, s - 4):s]
        claims.append(Claim(
            id=f"c{next_id + len(claims)}",
            start=s,
            end=e,
            text=text[s:e],
            value=claims_value,
            unit=unit,
            qualifier=qualifier,
            subject=subject,
            period=period,
            section=section,
            block=block_index,
            sentence=sentence_base + sent_idx,
            in_brackets=bool(brackets) and _inside(s, brackets),
            total_marker=any(t in lead for t in ("共", "累计", "合计", "总计")),
        ))
        prev_end = e
    return claims


_LINE_MARKER = re.compile(r"[ \t\u3000]*(?P<d>\d+)(?P<after>.?)")
_CN_HEADING = re.compile(r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
_NOT_MARKER_AFTER = set("年月日号时届期次%.．,，:：") | set("0123456789")


_DIGITS = tuple("0123456789")
_UNIT_TUPLE = tuple(UNITS)


class ListMarkers:
    """Numbers of the current list whose items start with a bare number ("1全面推进…", "2…"): a later
    item "313个市州" is item 3 of 13个市州, not 313个. Fed the paragraphs in order."""

    def __init__(self) -> None:
        self.last: int | None = None

    def scan(self, norm: str, start: int, end: int) -> dict[int, int]:
        """Offsets where a glued item number starts → where the figure after it starts."""
        out: dict[int, int] = {}
        pos = start
        while pos < end:
            nl = norm.find("\n", pos, end)
            nl = end if nl < 0 else nl
            if _CN_HEADING.match(norm, pos, nl):
                self.last = None
            m = _LINE_MARKER.match(norm, pos, nl)
            if m:
                d, after = m["d"], m["after"]
                expected = str(self.last + 1) if self.last is not None else None
                if after in ("、", ".", "．"):
                    if len(d) <= 2 and not norm.startswith(_DIGITS, m.end()):
                        self.last = int(d)
                elif after and "\u4e00" <= after <= "\u9fff":
                    is_unit = norm.startswith(_UNIT_TUPLE, m.end("d"))
                    if not is_unit and after not in _NOT_MARKER_AFTER and len(d) <= 2:
                        self.last = int(d)  # "2各地积极开展"
                    elif is_unit and expected and d.startswith(expected) and len(d) > len(expected) \
                            and d[len(expected)] != "0":
                        out[m.start("d")] = m.start("d") + len(expected)
                        self.last = int(expected)  # the marker after the last one
            pos = nl + 1
        return out


_CHROME = re.compile(
    r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?:\s*日)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
    r"|共?\s*\d+\s*条记录|\d+\s*/\s*\d+\s*页|第\s*\d+\s*页"
    r"|(?:19|20)\d\d\s*年(?:第)?\s*\d{1,2}\s*期")


_CHROME_HINT = re.compile(r"[-/:：期条页]")


def _in_chrome(norm: str, pos: int, lo: int, hi: int) -> bool:
    """Whether ``pos`` is inside a date, a clock time, page chrome or a journal issue number."""
    a = max(lo, pos - 12)
    for m in _CHROME.finditer(norm, a, min(hi, pos + 24)):
        if m.start() <= pos < m.end():
            return True
    return False


def _rest_of_line(norm: str, e: int, hi: int) -> str:
    nl = norm.find("\n", e, hi)
    return norm[e:hi if nl < 0 else nl]


def _unitless_ok(norm: str, ar: str, s: int, e: int, lo: int, hi: int, after: str) -> bool:
    if after not in _UNITLESS_FOLLOW:
        return False
    digits = ar.replace(",", "").split(".")[0]
    if "." not in ar and (len(digits) >= 7 or (len(digits) == 4 and digits[:2] in ("19", "20"))):
        return False  # phone numbers, bare years
    line_start = norm.rfind("\n", lo, s) + 1 if norm.rfind("\n", lo, s) >= 0 else lo
    head = norm[max(lo, line_start):s]
    if not head.strip() and after in "、.．)）":
        return False  # list marker "1、"
    if after in ")）" and s > lo and norm[s - 1] in "：:；;，,。 \t":
        return False  # inline list marker "主要做法：1）…；2）…"
    if not head.strip("—–-－ \t") and not _rest_of_line(norm, e, hi).strip("—–-－ \t"):
        return False  # page number "— 3 —" or a bare number alone on its line
    before = norm[s - 1] if s > lo else "\n"
    if before in "（(" and after in "）)":
        return False  # "（1）"
    if before in "〔[【" or after in "〕]】":
        return False
    return True


_PREFIX_RE = re.compile("^(?:" + "|".join(sorted(_SUBJECT_PREFIXES, key=len, reverse=True)) + ")+")
_SUFFIX_RE = re.compile("(?:" + "|".join(sorted(_SUBJECT_SUFFIXES, key=len, reverse=True)) + ")+$")
_YEAR_PREFIX_RE = re.compile(r"^(?:19|20)\d\d年(?:度)?")


def _subject(norm: str, lo: int, hi: int) -> str:
    i = hi
    while i > lo and norm[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    subject = norm[i:hi].strip()
    if not subject:
        return ""
    if "年" in subject or "月" in subject or "截" in subject:
        subject = PERIOD_RE.sub("", subject)
        subject = _YEAR_PREFIX_RE.sub("", subject)
    stripped = _PREFIX_RE.sub("", subject)
    if stripped:
        subject = stripped
    subject = _SUFFIX_RE.sub("", subject)
    return subject.strip(" ，,")


def normalize(text: str) -> str:
    """Same-length normalisation used for matching (full-width digits, point, percent)."""
    return text.translate(FULLWIDTH)
