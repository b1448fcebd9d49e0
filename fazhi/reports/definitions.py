"""Typed schema of the report outline (fazhi/reports/definitions/*.yaml), of the sentences each business
line brings (fazhi/lines/<code>/report*.yaml), and of the merged report definition the builder reads.

The outline holds the five mandated parts, their sections (with codes departments are assigned by) and
the paragraphs of each section (codes, in order); a line's file holds its sentences, each naming the
section, the paragraph and its order there. `registry.py` merges them and checks every reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::(approx|num|growth|zero|rank))?\}")
BRACED = re.compile(r"\{[^{}]*\}?")  # anything that looks like a placeholder, to catch a mistyped one


ORDINALS = "一二三四五六七八九十"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------------ the files

class SentenceDef(Strict):
    """One sentence template; `{code}` prints an indicator's value (see annual_report.yaml's comment)."""

    section: str  # section code, e.g. "disputes" (or the derived "<part>.<section>", e.g. "2.1")
    paragraph: str = ""  # paragraph code inside the section; may be left out when the section has one
    order: int = Field(ge=1)  # place inside the paragraph; lines leave gaps (10, 20, …) to interleave
    text: str = Field(min_length=1)
    # Sentences of one paragraph (often of several lines) that read as one: they print only all
    # together, when each has its figures (e.g. 涉企检查备案 + 律师评查案卷 + 法制审核人员占比), and
    # must follow each other in order.
    group: str = ""


class OutlineSection(Strict):
    code: str = ""  # stable key for assignments to departments; default "<part>.<section>", e.g. "1.3"
    heading: str = ""
    paragraphs: list[str] = []  # paragraph codes, in print order; lines' sentences fill them
    default: list[str] = []  # printed only when the section has neither figures nor contributed text


class OutlinePart(Strict):
    heading: str
    sections: list[OutlineSection]


class ReportOutlineFile(Strict):
    kind: Literal["report"] = "report"
    code: str
    name: str
    version: int
    title: str
    parts: list[OutlinePart]
    sentences: list[SentenceDef] = []  # generic sentences of the outline itself (no line's figures)


class ReportSentencesFile(Strict):
    kind: Literal["report_sentences"]
    report: str = "annual_report"  # the outline these sentences go into
    version: int = 1
    sentences: list[SentenceDef]


def section_key(part_index: int, section_index: int, section: OutlineSection) -> str:
    return section.code or f"{part_index + 1}.{section_index + 1}"


def outline_problems(outline: ReportOutlineFile) -> list[tuple[tuple, str]]:
    """What is wrong with the outline's own structure (its sentences are checked with the lines')."""
    problems: list[tuple[tuple, str]] = []
    seen: set[str] = set()
    for i, part in enumerate(outline.parts):
        for j, section in enumerate(part.sections):
            key = section_key(i, j, section)
            if key in seen:
                problems.append((("parts", i, "sections", j, "code"), f"章节代码重复：{key}"))
            seen.add(key)
            codes: set[str] = set()
            for k, code in enumerate(section.paragraphs):
                if code in codes:
                    problems.append((("parts", i, "sections", j, "paragraphs", k), f"段落代码重复：{key}.{code}"))
                codes.add(code)
    return problems


def placeholder_problems(text: str, known: set[str]) -> list[str]:
    """Unknown indicator codes and mistyped placeholders ({code:style} with an unknown style, a missing
    brace) in one sentence template."""
    problems = []
    for m in BRACED.finditer(text):
        found = PLACEHOLDER.fullmatch(m.group(0))
        if found is None:
            problems.append(f"占位符写法有误：{m.group(0)}（应为 {{指标代码}} 或 {{指标代码:approx|num|growth|zero|rank}}）")
        elif found.group(1) not in known:
            problems.append(f"未知的指标 {found.group(1)}")
    return problems


# --------------------------------------------------------------------------------- the merged report

@dataclass(frozen=True)
class SectionRef:
    key: str
    part: int  # index into parts
    index: int  # index into the part's sections
    label: str  # e.g. "一、… ·（三）…" (the number is the definition's order, before empty sections close up)


@dataclass(frozen=True)
class Sentence:
    text: str
    order: int
    line: str  # the business line that brought it (its folder name), "" for the outline's own
    path: Path  # the file it was written in, and where, for messages
    position: int  # 1-based line in that file
    group: str = ""  # sentences of one group print all together or not at all


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    paragraphs: tuple[tuple[Sentence, ...], ...]  # each paragraph's sentences, in order
    paragraph_codes: tuple[str, ...]
    default: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    heading: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class ReportDefinition:
    """The outline with every line's sentences merged in: what the builder drafts from."""

    code: str
    name: str
    version: int
    title: str
    parts: tuple[Part, ...]

    def sections(self) -> list[SectionRef]:
        """Every section with its key and a label a department understands (for assignments)."""
        out = []
        for i, part in enumerate(self.parts):
            for j, section in enumerate(part.sections):
                label = f"{ORDINALS[i]}、{part.heading}" + (f" ·（{ORDINALS[j]}）{section.heading}"
                                                             if section.heading else "")
                out.append(SectionRef(section.key, i, j, label))
        return out

    def section(self, key: str) -> SectionRef | None:
        return next((s for s in self.sections() if s.key == key), None)

    def sentences(self) -> list[Sentence]:
        return [s for p in self.parts for sec in p.sections for para in sec.paragraphs for s in para]

    def placeholders(self) -> set[str]:
        return {m.group(1) for s in self.sentences() for m in PLACEHOLDER.finditer(s.text)}

    def only(self, key: str) -> ReportDefinition | None:
        """The definition cut down to one section (a department's preview of what it writes)."""
        ref = self.section(key)
        if ref is None:
            return None
        part = self.parts[ref.part]
        return replace(self, parts=(replace(part, sections=(part.sections[ref.index],)),))
