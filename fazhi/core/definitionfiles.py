"""Reading declarative definition files (YAML) with the position of every value, and the list of
definition kinds (registers, data sets, indicators, …) that apps contribute.

Errors carry the file and the line/column of the offending value, so a district office that
edits a definition sees where it went wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class DefinitionError:
    path: Path
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class DefinitionSummary:
    """One definition as `fazhi definitions list` shows it."""

    code: str
    kind: str
    name: str
    version: int
    path: Path
    sha256: str


Loc = tuple[str | int, ...]  # a path into a file's data: mapping keys and sequence indexes
Problem = tuple[Loc, str]  # (location in the file's data, Chinese message)
Marks = dict[Loc, yaml.Mark]


# libyaml's composer when PyYAML was built with it (its nodes carry the same marks), else the Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _node_to_python(node: yaml.Node, path: Loc, marks: Marks, constructor: yaml.constructor.SafeConstructor) -> Any:
    """Plain data from a composed node, remembering where each path starts in the file. Scalars are
    built from the node the composer already resolved (no YAML re-serialisation): the report
    definition loads ~30× faster, which keeps drafting a report well under its renderer's time."""
    marks[path] = node.start_mark
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            result[key] = _node_to_python(value_node, (*path, key), marks, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_node_to_python(item, (*path, i), marks, constructor) for i, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)


def mark_for(loc: Loc, marks: Marks) -> yaml.Mark | None:
    """Position of the deepest part of `loc` present in the file (pydantic's `from_` is `from`)."""
    for end in range(len(loc), -1, -1):
        key = tuple(part.rstrip("_") if isinstance(part, str) else part for part in loc[:end])
        if key in marks:
            return marks[key]
    return None


def error_at(path: Path, loc: Loc, marks: Marks, message: str) -> DefinitionError:
    mark = mark_for(loc, marks)
    return DefinitionError(path, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)


@dataclass(frozen=True)
class ParsedFile:
    data: Any
    marks: Marks
    sha256: str


def yaml_file_read(path: Path) -> tuple[ParsedFile | None, list[DefinitionError]]:
    raw = path.read_bytes()
    try:
        node = yaml.compose(raw.decode("utf-8"), Loader=_LOADER)
    except UnicodeDecodeError:
        return None, [DefinitionError(path, 1, 1, "文件不是 UTF-8 编码")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [DefinitionError(path, line, col, f"YAML 语法错误：{exc.problem}")]
    if node is None:
        return None, [DefinitionError(path, 1, 1, "文件为空")]
    marks: Marks = {}
    data = _node_to_python(node, (), marks, yaml.constructor.SafeConstructor())
    return ParsedFile(data, marks, hashlib.sha256(raw).hexdigest()), []


M = TypeVar("M", bound=BaseModel)


def model_from_file(
    path: Path, model: type[M], problems: Callable[[M], list[Problem]] | None = None, *,
    data_key: str | None = None
) -> tuple[M | None, ParsedFile | None, list[DefinitionError]]:
    """Validate a YAML file against a pydantic model, then against cross-reference `problems`."""
    parsed, errors = yaml_file_read(path)
    if parsed is None:
        return None, None, errors
    data = parsed.data if data_key is None else parsed.data.get(data_key)
    if not isinstance(data, dict):
        return None, parsed, [DefinitionError(path, 1, 1, "定义文件的顶层必须是映射（键: 值）")]
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        return None, parsed, [
            error_at(path, tuple(err["loc"]), parsed.marks,
                     f"{'.'.join(str(p) for p in err['loc']) or '（顶层）'}：{err['msg'].removeprefix('Value error, ')}")
            for err in exc.errors()
        ]
    found = problems(instance) if problems else []
    if found:
        return None, parsed, [error_at(path, loc, parsed.marks, message) for loc, message in found]
    return instance, parsed, []


@dataclass(frozen=True)
class DefinitionKind:
    """A kind of definition an app contributes; `load` (re)reads its files."""

    name: str
    load: Callable[[], tuple[list[DefinitionSummary], list[DefinitionError]]]


_kinds: dict[str, DefinitionKind] = {}


def definition_kind_register(kind: DefinitionKind) -> None:
    _kinds[kind.name] = kind


def definition_kinds() -> list[DefinitionKind]:
    return list(_kinds.values())


LINES_DIR = Path(__file__).resolve().parent.parent / "lines"


def definition_dirs() -> list[Path]:
    """Where definition files live: the shipped lines, then a district's own folders
    (settings.FAZHI_DEFINITION_DIRS)."""
    from django.conf import settings

    return [LINES_DIR, *[Path(d) for d in getattr(settings, "FAZHI_DEFINITION_DIRS", [])]]


def definition_files(prefix: str) -> list[Path]:
    """Every `<line>/<prefix>*.yaml` file of the definition folders."""
    files: list[Path] = []
    for d in definition_dirs():
        files += sorted(p for p in d.glob("*/*.yaml") if p.name.startswith(prefix))
    return files


@dataclass(frozen=True)
class LoadedDefinition:
    definition: Any  # the validated pydantic model; it has `code`
    path: Path
    sha256: str


def definitions_collect(
    files: list[Path], model: type[M], problems: Callable[[M], list[Problem]] | None, *, label: str
) -> tuple[dict[str, LoadedDefinition], list[DefinitionError]]:
    """Validate each file as one definition; a code used twice is an error naming both files."""
    loaded: dict[str, LoadedDefinition] = {}
    errors: list[DefinitionError] = []
    for path in files:
        definition, parsed, errs = model_from_file(path, model, problems)
        errors += errs
        if definition is None or parsed is None:  # a definition always comes with its parsed file
            continue
        # Every model passed here (register, data set, indicator file) declares a `code` field.
        code: str = definition.code  # type: ignore[attr-defined]
        if code in loaded:
            errors.append(DefinitionError(path, 1, 1, f"{label}代码 {code} 与 {loaded[code].path} 重复"))
            continue
        loaded[code] = LoadedDefinition(definition, path, parsed.sha256)
    return loaded, errors
