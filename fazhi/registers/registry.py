"""Finds, validates and holds every definition file (lines/*/*.yaml and FAZHI_DEFINITION_DIRS).

Errors carry the file and the line/column of the offending value, so a district office that
edits a definition sees where it went wrong.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from pydantic import ValidationError

from .definitions import RegisterDefinition, definition_problems

LINES_DIR = Path(__file__).resolve().parent.parent / "lines"


@dataclass(frozen=True)
class DefinitionError:
    path: Path
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class LoadedDefinition:
    definition: RegisterDefinition
    path: Path
    sha256: str


def _node_to_python(node: yaml.Node, path: tuple, marks: dict[tuple, yaml.Mark]) -> Any:
    """Build plain Python data from a composed YAML node, recording each value's position."""
    marks[path] = node.start_mark
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node))
            result[key] = _node_to_python(value_node, (*path, key), marks)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_node_to_python(item, (*path, i), marks) for i, item in enumerate(node.value)]
    return yaml.safe_load(yaml.serialize(node))


def _mark_for(loc: tuple, marks: dict[tuple, yaml.Mark]) -> yaml.Mark | None:
    for end in range(len(loc), -1, -1):
        key = tuple("from" if part == "from_" else part for part in loc[:end])
        if key in marks:
            return marks[key]
    return None


def definition_parse(path: Path) -> tuple[LoadedDefinition | None, list[DefinitionError]]:
    raw = path.read_bytes()
    try:
        node = yaml.compose(raw.decode("utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        return None, [DefinitionError(path, 1, 1, "文件不是 UTF-8 编码")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [DefinitionError(path, line, col, f"YAML 语法错误：{exc.problem}")]
    if node is None:
        return None, [DefinitionError(path, 1, 1, "文件为空")]
    marks: dict[tuple, yaml.Mark] = {}
    data = _node_to_python(node, (), marks)
    if not isinstance(data, dict):
        return None, [DefinitionError(path, 1, 1, "定义文件的顶层必须是映射（键: 值）")]
    try:
        definition = RegisterDefinition.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            mark = _mark_for(tuple(err["loc"]), marks)
            where = ".".join(str(p) for p in err["loc"]) or "（顶层）"
            message = err["msg"].removeprefix("Value error, ")
            errors.append(
                DefinitionError(
                    path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, f"{where}：{message}"
                )
            )
        return None, errors
    problems = definition_problems(definition)
    if problems:
        errors = []
        for loc, message in problems:
            mark = _mark_for(loc, marks)
            errors.append(DefinitionError(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message))
        return None, errors
    return LoadedDefinition(definition, path, hashlib.sha256(raw).hexdigest()), []


def definition_files() -> list[Path]:
    dirs = [LINES_DIR, *[Path(d) for d in getattr(settings, "FAZHI_DEFINITION_DIRS", [])]]
    files: list[Path] = []
    for d in dirs:
        files += sorted(p for p in d.glob("*/*.yaml") if p.name.startswith("register"))
    return files


@dataclass
class Registry:
    registers: dict[str, LoadedDefinition]
    errors: list[DefinitionError]


_registry: Registry | None = None


def definitions_load(files: list[Path] | None = None) -> Registry:
    """(Re)load every definition; keeps errors instead of raising so `definitions check` can list them."""
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
