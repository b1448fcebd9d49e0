"""Finds, validates and holds every register definition (lines/*/register*.yaml, FAZHI_DEFINITION_DIRS)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from fazhi.core.definitionfiles import DefinitionError, DefinitionSummary, model_from_file

from .definitions import RegisterDefinition, definition_problems

LINES_DIR = Path(__file__).resolve().parent.parent / "lines"


@dataclass(frozen=True)
class LoadedDefinition:
    definition: RegisterDefinition
    path: Path
    sha256: str


def definition_parse(path: Path) -> tuple[LoadedDefinition | None, list[DefinitionError]]:
    definition, parsed, errors = model_from_file(path, RegisterDefinition, definition_problems)
    if definition is None:
        return None, errors
    return LoadedDefinition(definition, path, parsed.sha256), []


def definition_dirs() -> list[Path]:
    """Where definition files live: the shipped lines and a district's own folders."""
    return [LINES_DIR, *[Path(d) for d in getattr(settings, "FAZHI_DEFINITION_DIRS", [])]]


def definition_files(prefix: str = "register") -> list[Path]:
    files: list[Path] = []
    for d in definition_dirs():
        files += sorted(p for p in d.glob("*/*.yaml") if p.name.startswith(prefix))
    return files


@dataclass
class Registry:
    registers: dict[str, LoadedDefinition]
    errors: list[DefinitionError]


_registry: Registry | None = None


def definitions_load(files: list[Path] | None = None) -> Registry:
    """(Re)load every register definition; keeps errors instead of raising so they can be listed."""
    global _registry
    registers: dict[str, LoadedDefinition] = {}
    errors: list[DefinitionError] = []
    for path in files if files is not None else definition_files():
        loaded, errs = definition_parse(path)
        errors += errs
        if loaded is None:
            continue
        code = loaded.definition.code
        if code in registers:
            errors.append(DefinitionError(path, 1, 1, f"登记簿代码 {code} 与 {registers[code].path} 重复"))
            continue
        registers[code] = loaded
    _registry = Registry(registers, errors)
    return _registry


def registers_summaries() -> tuple[list[DefinitionSummary], list[DefinitionError]]:
    """The `register` definition kind, for `fazhi definitions`."""
    loaded = definitions_load()
    return [
        DefinitionSummary(d.definition.code, "register", d.definition.name, d.definition.version, d.path, d.sha256)
        for d in loaded.registers.values()
    ], loaded.errors


def registry() -> Registry:
    return _registry if _registry is not None else definitions_load()


class UnknownRegister(LookupError):
    pass


def register_definition(code: str) -> RegisterDefinition:
    try:
        return registry().registers[code].definition
    except KeyError:
        raise UnknownRegister(f"没有代码为 {code} 的登记簿") from None


def register_definitions() -> list[RegisterDefinition]:
    return [loaded.definition for loaded in registry().registers.values()]
