"""Finds, validates and holds every register definition (lines/*/register*.yaml, FAZHI_DEFINITION_DIRS)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi.core.definitionfiles import (
    DefinitionError,
    DefinitionSummary,
    LoadedDefinition,
    definition_files,
    definitions_collect,
)
from fazhi.core.errors import FazhiError

from .definitions import RegisterDefinition, definition_problems
from .errors import RecordErrorCode


def definition_parse(path: Path) -> tuple[LoadedDefinition | None, list[DefinitionError]]:
    loaded, errors = definitions_collect([path], RegisterDefinition, definition_problems, label="登记簿")
    return next(iter(loaded.values()), None), errors


@dataclass
class Registry:
    registers: dict[str, LoadedDefinition]
    errors: list[DefinitionError]


_registry: Registry | None = None


def definitions_load(files: list[Path] | None = None) -> Registry:
    """(Re)load every register definition; keeps errors instead of raising so they can be listed."""
    global _registry
    files = files if files is not None else definition_files("register")
    _registry = Registry(*definitions_collect(files, RegisterDefinition, definition_problems, label="登记簿"))
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


class UnknownRegister(FazhiError, LookupError):
    """No register definition has this code (code unknown_register); the API answers 404."""

    http_status = 404

    def __init__(self, message: str) -> None:
        super().__init__(RecordErrorCode.UNKNOWN_REGISTER, message)


def register_definition(code: str) -> RegisterDefinition:
    try:
        definition: RegisterDefinition = registry().registers[code].definition  # built from register files only
    except KeyError:
        raise UnknownRegister(f"没有代码为 {code} 的登记簿") from None
    return definition


def register_definitions() -> list[RegisterDefinition]:
    return [loaded.definition for loaded in registry().registers.values()]

