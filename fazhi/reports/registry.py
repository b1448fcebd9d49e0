"""Finds, validates, merges and holds the report definitions: the outlines (reports/definitions/*.yaml)
and the sentences of every business line (lines/*/report*.yaml, FAZHI_DEFINITION_DIRS), loaded once at
start-up and again by `fazhi definitions check`.

Every reference is checked with the file, line and column of the value: the outline a line's file names,
the section and paragraph of each sentence, the indicator codes in its placeholders, and that no two
sentences claim the same place (order) in one paragraph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fazhi.core.definitionfiles import (
    DefinitionError,
    DefinitionSummary,
    ParsedFile,
    definition_files,
    error_at,
    model_from_file,
)

from .definitions import (
    OutlineSection,
    Part,
    ReportDefinition,
    ReportOutlineFile,
    ReportSentencesFile,
    Section,
    Sentence,
    SentenceDef,
    outline_problems,
    placeholder_problems,
    section_key,
)

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_REPORT = "annual_report"


@dataclass(frozen=True)
class LoadedReport:
    definition: ReportDefinition  # the outline with the lines' sentences merged in
    path: Path  # the outline's file
    sentence_files: tuple[Path, ...]  # the lines' files that contributed sentences
    sha256: str  # of the outline and every contributing file, in order


@dataclass
class ReportRegistry:
    reports: dict[str, LoadedReport]
    errors: list[DefinitionError]


def outline_files() -> list[Path]:
    return sorted(DEFINITIONS_DIR.glob("*.yaml"))


def sentence_files() -> list[Path]:
    return definition_files("report")


@dataclass
class _Outline:
    file: ReportOutlineFile
    path: Path
    parsed: ParsedFile
    sections: dict[str, tuple[OutlineSection, int, int]]  # key → (section, part index, section index)
    placed: dict[tuple[str, str, int], tuple[Path, int]]  # (section, paragraph, order) → where
    sentences: dict[tuple[str, str], list[Sentence]]
    contributors: list[tuple[Path, str]]  # (file, sha256)


def _line_of(path: Path, outline_path: Path) -> str:
    return "" if path == outline_path else path.parent.name


def _place(outline: _Outline, sentence: SentenceDef, loc: tuple, path: Path, parsed: ParsedFile,
           known: set[str]) -> list[DefinitionError]:
    """Check one sentence against the outline and, if it is right, put it into its paragraph."""
    found = outline.sections.get(sentence.section)
    if found is None:
        return [error_at(path, (*loc, "section"), parsed.marks,
                         f"报告“{outline.file.name}”没有章节 {sentence.section}；"
                         f"可用：{'、'.join(outline.sections)}")]
    section = found[0]
    paragraph = sentence.paragraph
    if not section.paragraphs:
        return [error_at(path, (*loc, "section"), parsed.marks,
                         f"章节 {sentence.section} 没有可放句子的段落（大纲 {outline.path.name} 未列 paragraphs）")]
    if not paragraph:
        if len(section.paragraphs) > 1:
            return [error_at(path, (*loc, "section"), parsed.marks,
                             f"章节 {sentence.section} 有 {len(section.paragraphs)} 个段落"
                             f"（{'、'.join(section.paragraphs)}），请写明 paragraph")]
        paragraph = section.paragraphs[0]
    elif paragraph not in section.paragraphs:
        return [error_at(path, (*loc, "paragraph"), parsed.marks,
                         f"章节 {sentence.section} 没有段落 {paragraph}；可用：{'、'.join(section.paragraphs)}")]
    errors = [error_at(path, (*loc, "text"), parsed.marks, message)
              for message in placeholder_problems(sentence.text, known)]
    mark = parsed.marks.get((*loc, "order")) or parsed.marks.get(loc)
    position = mark.line + 1 if mark else 1
    taken = outline.placed.get((sentence.section, paragraph, sentence.order))
    if taken is not None:
        errors.append(error_at(path, (*loc, "order"), parsed.marks,
                               f"顺序号 {sentence.order} 在 {sentence.section}.{paragraph} 中已被 "
                               f"{taken[0]}:{taken[1]} 的句子使用"))
    if errors:
        return errors
    outline.placed[(sentence.section, paragraph, sentence.order)] = (path, position)
    outline.sentences.setdefault((sentence.section, paragraph), []).append(
        Sentence(sentence.text, sentence.order, _line_of(path, outline.path), path, position, sentence.group))
    return []


def _group_problems(outline: _Outline) -> list[DefinitionError]:
    """A group's sentences must follow each other in their paragraph (nothing of another in between)."""
    errors = []
    for (section, paragraph), sentences in outline.sentences.items():
        ordered = sorted(sentences, key=lambda s: s.order)
        ended: set[str] = set()
        for previous, sentence in zip([None, *ordered], ordered, strict=False):
            if previous is not None and previous.group and previous.group != sentence.group:
                ended.add(previous.group)
            if sentence.group in ended:
                errors.append(DefinitionError(sentence.path, sentence.position, 1,
                                              f"句组 {sentence.group} 在 {section}.{paragraph} 中不连续：顺序号 "
                                              f"{sentence.order} 与该组前面的句子之间隔着别的句子"))
    return errors


def _merged(outline: _Outline) -> ReportDefinition:
    parts = []
    for i, part in enumerate(outline.file.parts):
        sections = []
        for j, section in enumerate(part.sections):
            key = section_key(i, j, section)
            paragraphs = tuple(
                tuple(sorted(outline.sentences.get((key, code), []), key=lambda s: s.order))
                for code in section.paragraphs)
            sections.append(Section(key, section.heading, paragraphs, tuple(section.paragraphs),
                                    tuple(section.default)))
        parts.append(Part(part.heading, tuple(sections)))
    f = outline.file
    return ReportDefinition(f.code, f.name, f.version, f.title, tuple(parts))


_registry: ReportRegistry | None = None


def reports_load(outlines: list[Path] | None = None, sentences: list[Path] | None = None) -> ReportRegistry:
    """(Re)load every outline and every line's sentences; keeps errors instead of raising so that
    `definitions check` and the start-up check can list them all."""
    global _registry
    from fazhi.indicators.registry import indicator_registry

    known = set(indicator_registry().indicators)
    errors: list[DefinitionError] = []
    loaded: dict[str, _Outline] = {}
    for path in outline_files() if outlines is None else outlines:
        file, parsed, errs = model_from_file(path, ReportOutlineFile, outline_problems)
        errors += errs
        if file is None or parsed is None:  # a validated file always comes with its parsed text
            continue
        if file.code in loaded:
            errors.append(error_at(path, ("code",), parsed.marks,
                                   f"报告代码 {file.code} 与 {loaded[file.code].path} 重复"))
            continue
        keys = {section_key(i, j, s): (s, i, j) for i, p in enumerate(file.parts) for j, s in enumerate(p.sections)}
        loaded[file.code] = _Outline(file, path, parsed, keys, {}, {}, [])
    broken: set[str] = set()  # outlines whose own sentences are wrong: not usable
    for outline in loaded.values():
        for n, sentence in enumerate(outline.file.sentences):
            errs = _place(outline, sentence, ("sentences", n), outline.path, outline.parsed, known)
            errors += errs
            if errs:
                broken.add(outline.file.code)
    for path in sentence_files() if sentences is None else sentences:
        line_file, parsed, errs = model_from_file(path, ReportSentencesFile)
        errors += errs
        if line_file is None or parsed is None:  # a validated file always comes with its parsed text
            continue
        target = loaded.get(line_file.report)
        if target is None:
            errors.append(error_at(path, ("report",), parsed.marks,
                                   f"没有代码为 {line_file.report} 的报告大纲；可用：{'、'.join(loaded) or '（无）'}"))
            continue
        # A line's file goes in whole or not at all, like an indicators file: half a line's sentences
        # would print a report that silently lacks the other half.
        trial = _Outline(target.file, target.path, target.parsed, target.sections, dict(target.placed),
                         {k: list(v) for k, v in target.sentences.items()}, list(target.contributors))
        errs = []
        for n, sentence in enumerate(line_file.sentences):
            errs += _place(trial, sentence, ("sentences", n), path, parsed, known)
        errors += errs
        if not errs:
            trial.contributors.append((path, parsed.sha256))
            loaded[line_file.report] = trial
    reports = {}
    for code, outline in loaded.items():
        errs = _group_problems(outline)
        errors += errs
        if code in broken or errs:
            continue
        digest = hashlib.sha256(outline.parsed.sha256.encode())
        for _, sha in outline.contributors:
            digest.update(sha.encode())
        reports[code] = LoadedReport(_merged(outline), outline.path, tuple(p for p, _ in outline.contributors),
                                     digest.hexdigest())
    _registry = ReportRegistry(reports, errors)
    return _registry


def reports_summaries() -> tuple[list[DefinitionSummary], list[DefinitionError]]:
    """The `report` definition kind, for `fazhi definitions`: one row per outline, with its lines."""
    loaded = reports_load()
    return [
        DefinitionSummary(code, "report", f"{r.definition.name}（{len(r.definition.sentences())} 句，"
                                          f"来自 {len(r.sentence_files)} 个业务线）",
                          r.definition.version, r.path, r.sha256)
        for code, r in loaded.reports.items()
    ], loaded.errors


def report_registry() -> ReportRegistry:
    return _registry if _registry is not None else reports_load()


class ReportOutlineUnavailable(LookupError):
    """The outline does not exist or does not validate; `errors` say where (file:line:column)."""

    def __init__(self, code: str, errors: list[DefinitionError]):
        self.code, self.errors = code, errors
        super().__init__(f"报告定义有误：{'；'.join(map(str, errors))}" if errors else f"没有代码为 {code} 的报告")


def report_outline(code: str = DEFAULT_REPORT) -> ReportDefinition:
    """The merged report definition every call site drafts from."""
    registry = report_registry()
    loaded = registry.reports.get(code)
    if loaded is None:
        raise ReportOutlineUnavailable(code, registry.errors)
    return loaded.definition
