"""Citations of key national documents (``national_documents.yaml``) checked for their exact title
and year range: 《法治政府建设实施纲要（2020—2025年）》 is reported, the 纲要 being 2021—2025."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .findings import Finding, FindingKind
from .relations import dice, grams_of

DOCUMENTS_FILE = Path(__file__).with_name("national_documents.yaml")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "～": "-", "~": "-", "至": "-", "（": "(", "）": ")",
                         "〔": "[", "〕": "]", " ": None, "\u3000": None})
_RANGE = re.compile(r"\((?:(?:19|20)\d\d)-+(?:(?:19|20)\d\d)年?\)$")
_YEAR_RANGE_AFTER = re.compile(r"\s*[（(]\s*((?:19|20)\d\d)\s*[-—–－~～至]+\s*((?:19|20)\d\d)\s*年?\s*[）)]")
_TITLE = re.compile(r"《([^《》\n]{2,80})》")
# A local document named after a national one (《某省法治政府建设实施方案》) is not a citation of it.
_LOCAL = re.compile(r"[省市县区州盟旗]")
SIMILAR = 0.8


def norm_title(s: str) -> str:
    s = s.translate(_DASHES)
    s = re.sub(r"-+", "-", s)
    return s.replace("年)", ")").replace("年度", "")


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    base: str  # normalised title without the year range
    forms: frozenset[str]  # accepted normalised forms


@lru_cache(maxsize=1)
def documents() -> tuple[Document, ...]:
    out = []
    for row in yaml.safe_load(DOCUMENTS_FILE.read_text(encoding="utf-8")):
        full = norm_title(row["title"])
        base = _RANGE.sub("", full)
        forms = {full, base} | {norm_title(s) for s in row.get("short") or []}
        out.append(Document(row["title"], base, frozenset(forms)))
    return tuple(out)


@lru_cache(maxsize=1)
def _plain_names() -> re.Pattern[str]:
    names = sorted({d.title.split("（")[0] for d in documents()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


@lru_cache(maxsize=1)
def _by_base() -> dict[str, list[Document]]:
    table: dict[str, list[Document]] = {}
    for d in documents():
        table.setdefault(d.base, []).append(d)
    return table


def check_citations(text: str, start: int, end: int) -> list[Finding]:
    """Findings for the citations in ``text[start:end]``."""
    findings: list[Finding] = []
    if "《" not in text[start:end] and _plain_names().search(text, start, end) is None:
        return findings
    bases = _by_base()
    seen: set[int] = set()
    for m in _TITLE.finditer(text, start, end):
        cited = norm_title(m.group(1))
        seen.add(m.start(1))
        finding = _judge(cited, bases, (m.start(), m.end()), m.group(0))
        if finding:
            findings.append(finding)
    # unquoted: "按照法治政府建设实施纲要（2020—2025年）要求"
    for m in _plain_names().finditer(text, start, end):
        pos = m.start()
        if pos in seen or (pos > 0 and text[pos - 1] == "《"):
            continue
        r = _YEAR_RANGE_AFTER.match(text, m.end())
        if not r:
            continue
        cited = norm_title(m.group(0) + f"({r.group(1)}-{r.group(2)})")
        finding = _judge(cited, bases, (pos, r.end()), text[pos:r.end()])
        if finding:
            findings.append(finding)
    return findings


def _judge(cited: str, bases: dict[str, list[Document]], span: tuple[int, int], quote: str) -> Finding | None:
    verdict = _verdict(cited)
    if verdict is None:
        return None
    what, right = verdict
    return Finding(FindingKind.WRONG_CITATION, f"引用“{quote}”的{what}有误，应为《{right}》", [span])


@lru_cache(maxsize=4096)
def _verdict(cited: str) -> tuple[str, str] | None:
    """(what is wrong, the right title) for a normalised citation, or None when it is right or unknown."""
    bases = _by_base()
    base = _RANGE.sub("", cited)
    docs = bases.get(base)
    if docs is not None:
        if any(cited in d.forms for d in docs):
            return None
        years = [int(y) for y in re.findall(r"(?:19|20)\d\d", cited)]

        def distance(d: Document) -> int:
            own = [int(y) for y in re.findall(r"(?:19|20)\d\d", norm_title(d.title))]
            return sum(abs(a - b) for a, b in zip(years, own, strict=False)) if own else 99
        return "年份", min(docs, key=distance).title
    if any(cited in d.forms for d in documents()):
        return None
    grams = grams_of(base)
    best, score = None, 0.0
    for d in documents():
        s = dice(grams, grams_of(d.base))
        if s > score:
            best, score = d, s
    if best is None or score < SIMILAR or abs(len(base) - len(best.base)) > 4:
        return None
    extra = base.replace(best.base, "")
    if _LOCAL.search(base[: max(1, len(base) - len(best.base))]) or (extra and _LOCAL.search(extra)):
        return None
    return "名称", best.title
