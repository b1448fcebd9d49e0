"""Finds, validates and holds every data set definition (lines/*/dataset*.yaml, FAZHI_DEFINITION_DIRS)."""

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

from .definitions import DatasetDefinition, ElementDef, definition_problems
from .errors import DatasetErrorCode


def dataset_parse(path: Path) -> tuple[LoadedDefinition | None, list[DefinitionError]]:
    loaded, errors = definitions_collect([path], DatasetDefinition, definition_problems, label="数据集")
    return next(iter(loaded.values()), None), errors


@dataclass
class DatasetRegistry:
    datasets: dict[str, LoadedDefinition]
    errors: list[DefinitionError]


_registry: DatasetRegistry | None = None


def datasets_load(files: list[Path] | None = None) -> DatasetRegistry:
    """(Re)load every data set definition; keeps errors instead of raising so they can be listed."""
    global _registry
    files = files if files is not None else definition_files("dataset")
    _registry = DatasetRegistry(*definitions_collect(files, DatasetDefinition, definition_problems, label="数据集"))
    return _registry


def datasets_summaries() -> tuple[list[DefinitionSummary], list[DefinitionError]]:
    """The `dataset` definition kind, for `fazhi definitions`."""
    loaded = datasets_load()
    return [
        DefinitionSummary(d.definition.code, "dataset", d.definition.name, d.definition.version, d.path, d.sha256)
        for d in loaded.datasets.values()
    ], loaded.errors


def registry() -> DatasetRegistry:
    return _registry if _registry is not None else datasets_load()


class UnknownDataset(FazhiError, LookupError):
    """No data set definition has this code (code unknown_dataset); the API answers 404."""

    http_status = 404

    def __init__(self, message: str) -> None:
        super().__init__(DatasetErrorCode.UNKNOWN_DATASET, message)


def dataset_definition(code: str) -> DatasetDefinition:
    try:
        return registry().datasets[code].definition
    except KeyError:
        raise UnknownDataset(f"没有代码为 {code} 的数据集") from None


def dataset_definitions() -> list[DatasetDefinition]:
    return [loaded.definition for loaded in registry().datasets.values()]


def dataset_element(dataset: str, element: str) -> ElementDef | None:
    """One element of a data set, or None; the indicator definitions check their value terms with it."""
    loaded = registry().datasets.get(dataset)
    return loaded.definition.element(element) if loaded else None
