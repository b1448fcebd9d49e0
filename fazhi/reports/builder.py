"""Drafts a report document from a frozen indicator snapshot (reports never read live values)."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period
from fazhi.core.textinput import control_characters_strip
from fazhi.indicators.comparisons import yoy_words

from .definitions import ORDINALS, PLACEHOLDER, ReportDefinition
from .document import Document, Figure, Heading, Paragraph


def figure_text(value: Decimal, unit: str, style: str | None) -> str:
    """How a figure is printed: 1295件, 99.69%, 5275.57万元, 500余次, 增长12%, 持平, 第1位."""
    number = f"{value.normalize():f}"  # snapshots keep six decimals; print what the figure has
    if style == "num":
        return number
    if style == "approx":
        return f"{number}余{unit}"
    if style == "rank":
        return f"第{number}{unit}"
    if style == "growth":  # a 同比 indicator (yoy()): printed as the pages print 同比
        return yoy_words(value.normalize(), points=unit == "个百分点")
    return f"{number}{unit}"


def _sentence(template: str, values: dict) -> tuple[Run, ...] | None:
    """The sentence with its figures bound to their indicator values, or None when one is missing."""
    runs: list = []
    position = 0
    for m in PLACEHOLDER.finditer(template):
        code, style = m.group(1), m.group(2)
        value = values.get(code)
        if value is None or value.value is None or (value.value == 0 and style not in ("zero", "growth")):
            return None  # a sentence never prints a missing figure, nor an empty "0"
        runs.append(template[position:m.start()])
        number = Decimal(value.value)
        runs.append(Figure(code, figure_text(number, value.unit, None if style == "zero" else style), number))
        position = m.end()
    runs.append(template[position:])
    return tuple(r for r in runs if r != "")


Run = str | Figure


def contribution_paragraphs(text: str) -> list[Paragraph]:
    """A department's text as paragraphs: one per non-empty line (Word paragraphs arrive as lines). Control
    characters are dropped: text stored before input was checked may hold them, and a .docx cannot."""
    text = control_characters_strip(text)
    return [Paragraph((line.strip(),)) for line in text.splitlines() if line.strip()]


def report_build(
    *, definition: ReportDefinition, unit: OrgUnit, period: Period, values: dict,
    contributions: dict[str, list[str]] | None = None,
) -> Document:
    """`values`: indicator code → an object with `.value` (Decimal or None) and `.unit` (snapshot values).
    `contributions`: section key → the accepted texts of the units that wrote it, printed after the
    section's drafted sentences."""
    contributions = contributions or {}
    doc = Document(title=definition.title.format(year=period.start.year, unit=unit.name), unit_id=unit.pk,
                   period=period.code)
    for i, part in enumerate(definition.parts):
        doc.blocks.append(Heading(1, f"{ORDINALS[i]}、{part.heading}"))
        number = 0
        for section in part.sections:
            paragraphs = []
            for sentences in section.paragraphs:
                runs: list = []
                for _, members in groupby(sentences, key=lambda s: s.group or id(s)):
                    built = [_sentence(s.text, values) for s in members]
                    if all(b is not None for b in built):  # a group prints whole or not at all
                        runs.extend(r for b in built if b is not None for r in b)
                if runs:
                    paragraphs.append(Paragraph(tuple(runs)))
            for text in contributions.get(section.key, []):
                paragraphs.extend(contribution_paragraphs(text))
            if not paragraphs and section.default:
                paragraphs.append(Paragraph(tuple(section.default)))
            if not paragraphs:
                continue  # a section without any figure is left out, numbering closes up
            if section.heading:
                number += 1
                doc.blocks.append(Heading(2, f"（{ORDINALS[number - 1]}）{section.heading}"))
            doc.blocks.extend(paragraphs)
    return doc
