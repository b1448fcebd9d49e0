"""Finds, validates and holds every indicator and validation rule (lines/*/indicators*.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi.core.definitionfiles import (
    DefinitionError,
    DefinitionSummary,
    ParsedFile,
    definition_dirs,
    error_at,
    model_from_file,
)
from fazhi.core.errors import FazhiError
from fazhi.datasets.registry import dataset_element
from fazhi.registers.registry import registry as register_registry

from .definitions import IndicatorDef, IndicatorFile, RuleDef, indicator_file_problems
from .errors import IndicatorErrorCode
from .formulas import Node, formula_parse, formula_refs


@dataclass(frozen=True)
class LoadedIndicator:
    definition: IndicatorDef
    nodes: dict[str, Node]  # "formula" or "numerator"/"denominator"
    path: Path
    version: str  # file version and content hash, frozen into snapshots

    @property
    def refs(self) -> set[str]:
        return set().union(*(formula_refs(n) for n in self.nodes.values()))


@dataclass(frozen=True)
class LoadedRule:
    definition: RuleDef
    left: Node
    right: Node
    path: Path


@dataclass
class IndicatorRegistry:
    indicators: dict[str, LoadedIndicator]
    rules: dict[str, LoadedRule]
    errors: list[DefinitionError]


def indicator_files() -> list[Path]:
    files: list[Path] = []
    for d in definition_dirs():
        files += sorted(p for p in d.glob("*/*.yaml") if p.name.startswith("indicators"))
    return files


_registry: IndicatorRegistry | None = None


def indicators_load(files: list[Path] | None = None) -> IndicatorRegistry:
    global _registry
    errors: list[DefinitionError] = []
    parsed_files: list[tuple[Path, IndicatorFile, ParsedFile]] = []
    for path in files if files is not None else indicator_files():
        parsed, raw, errs = model_from_file(path, IndicatorFile)
        errors += errs
        if parsed is not None and raw is not None:  # a validated file always comes with its parsed text
            parsed_files.append((path, parsed, raw))
    known: dict[str, Path] = {}
    for path, parsed, raw in parsed_files:
        for i, ind in enumerate(parsed.indicators):
            if ind.code in known:
                errors.append(error_at(path, ("indicators", i, "code"), raw.marks,
                                       f"指标代码 {ind.code} 与 {known[ind.code]} 重复"))
            known[ind.code] = path
    registers = {code: loaded.definition for code, loaded in register_registry().registers.items()}
    indicators: dict[str, LoadedIndicator] = {}
    rules: dict[str, LoadedRule] = {}
    for path, parsed, raw in parsed_files:
        problems = indicator_file_problems(parsed, registers=registers, datasets=dataset_element, known=set(known))
        errors += [error_at(path, loc, raw.marks, message) for loc, message in problems]
        if problems:
            continue
        version = f"v{parsed.version}:{raw.sha256[:12]}"
        for ind in parsed.indicators:
            nodes = {key: formula_parse(text) for key, text in ind.formulas().items()}
            indicators[ind.code] = LoadedIndicator(ind, nodes, path, version)
        for rule in parsed.rules:
            rules[rule.code] = LoadedRule(rule, formula_parse(rule.left), formula_parse(rule.right), path)
    errors += _cycle_errors(indicators)
    _registry = IndicatorRegistry(indicators, rules, errors)
    return _registry


def _cycle_errors(indicators: dict[str, LoadedIndicator]) -> list[DefinitionError]:
    errors: list[DefinitionError] = []
    state: dict[str, str] = {}

    def visit(code: str, trail: list[str]) -> None:
        if state.get(code) == "done" or code not in indicators:
            return
        if state.get(code) == "active":
            cycle = trail[trail.index(code):] + [code]
            errors.append(DefinitionError(indicators[code].path, 1, 1, f"指标循环引用：{' → '.join(cycle)}"))
            return
        state[code] = "active"
        for ref in sorted(indicators[code].refs):
            visit(ref, [*trail, code])
        state[code] = "done"

    for code in indicators:
        visit(code, [])
    return errors


def indicators_summaries() -> tuple[list[DefinitionSummary], list[DefinitionError]]:
    loaded = indicators_load()
    return [
        DefinitionSummary(code, "indicator", ind.definition.name, int(ind.version.split(":")[0][1:]), ind.path,
                          ind.version.split(":")[1])
        for code, ind in loaded.indicators.items()
    ], loaded.errors


def indicator_registry() -> IndicatorRegistry:
    return _registry if _registry is not None else indicators_load()


class UnknownIndicator(FazhiError, LookupError):
    """No indicator definition has this code (code unknown_indicator); the API answers 404."""

    http_status = 404

    def __init__(self, message: str) -> None:
        super().__init__(IndicatorErrorCode.UNKNOWN_INDICATOR, message)


def indicator(code: str) -> LoadedIndicator:
    try:
        return indicator_registry().indicators[code]
    except KeyError:
        raise UnknownIndicator(f"没有代码为 {code} 的指标") from None
