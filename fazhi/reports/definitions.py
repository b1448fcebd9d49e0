"""Typed schema of report definitions (fazhi/reports/definitions/*.yaml) and the sentence templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from fazhi.core.definitionfiles import DefinitionError, model_from_file

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::(approx|num|growth|zero|rank))?\}")


ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class SectionRef:
    key: str
    part: int  # index into parts
    index: int  # index into the part's sections
    label: str  # e.g. "一、… ·（三）…" (the number is the definition's order, before empty sections close up)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionDef(Strict):
    code: str = ""  # stable key for assignments to departments; default "<part>.<section>", e.g. "1.3"
    heading: str = ""
    paragraphs: list[list[str]] = []  # paragraphs of sentences drafted from the snapshot
    default: list[str] = []  # printed only when the section has neither figures nor contributed text


class PartDef(Strict):
    heading: str
    sections: list[SectionDef]


class ReportDefinition(Strict):
    kind: Literal["report"] = "report"
    code: str
    name: str
    version: int
    title: str
    parts: list[PartDef]

    def sections(self) -> list[SectionRef]:
        """Every section with its key and a label a department understands (for assignments)."""
        out = []
        for i, part in enumerate(self.parts):
            for j, section in enumerate(part.sections):
                label = f"{ORDINALS[i]}、{part.heading}" + (f" ·（{ORDINALS[j]}）{section.heading}"
                                                             if section.heading else "")
                out.append(SectionRef(section.code or f"{i + 1}.{j + 1}", i, j, label))
        return out

    def section(self, key: str) -> SectionRef | None:
        return next((s for s in self.sections() if s.key == key), None)

    def placeholders(self) -> set[str]:
        return {m.group(1) for p in self.parts for s in p.sections for para in s.paragraphs for sentence in para
                for m in PLACEHOLDER.finditer(sentence)}


def report_problems(definition: ReportDefinition, known: set[str]) -> list[tuple[tuple, str]]:
    problems = []
    seen: set[str] = set()
    for ref in definition.sections():
        if ref.key in seen:
            problems.append((("parts", ref.part, "sections", ref.index, "code"), f"章节代码重复：{ref.key}"))
        seen.add(ref.key)
    for i, part in enumerate(definition.parts):
        for j, section in enumerate(part.sections):
            for k, para in enumerate(section.paragraphs):
                for n, sentence in enumerate(para):
                    for m in PLACEHOLDER.finditer(sentence):
                        if m.group(1) not in known:
                            problems.append((("parts", i, "sections", j, "paragraphs", k, n),
                                             f"未知的指标 {m.group(1)}"))
    return problems


def report_definition_load(code: str = "annual_report") -> tuple[ReportDefinition | None, list[DefinitionError]]:
    from fazhi.indicators.registry import indicator_registry

    known = set(indicator_registry().indicators)
    definition, _, errors = model_from_file(DEFINITIONS_DIR / f"{code}.yaml", ReportDefinition,
                                            lambda d: report_problems(d, known))
    return definition, errors
