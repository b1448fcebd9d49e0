"""Typed schema of report definitions (fazhi/reports/definitions/*.yaml) and the sentence templates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from fazhi.core.definitionfiles import DefinitionError, model_from_file

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::(approx|num|growth|zero))?\}")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionDef(Strict):
    heading: str = ""
    paragraphs: list[list[str]]  # paragraphs of sentences


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

    def placeholders(self) -> set[str]:
        return {m.group(1) for p in self.parts for s in p.sections for para in s.paragraphs for sentence in para
                for m in PLACEHOLDER.finditer(sentence)}


def report_problems(definition: ReportDefinition, known: set[str]) -> list[tuple[tuple, str]]:
    problems = []
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
