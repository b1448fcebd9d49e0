"""Finds, validates and holds every data set definition (lines/*/dataset*.yaml, FAZHI_DEFINITION_DIRS)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from fazhi.core.definitionfiles import DefinitionError, DefinitionSummary, model_from_file

from .definitions import DatasetDefinition, ElementDef, definition_problems

LINES_DIR = Path(__file__).resolve().parent.parent / "lines"
FILE_PREFIX = "dataset"


@dataclass(frozen=True)
class LoadedDataset:
    definition: DatasetDefinition
    path: Path
    sha256: str


def dataset_parse(path: Path) -> tuple[LoadedDataset | None, list[DefinitionError]]:
    definition, parsed, errors = model_from_file(path, DatasetDefinition, definition_problems)
    if definition is None:
        return None, errors
    return LoadedDataset(definition, path, parsed.sha256), []


def dataset_files() -> list[Path]:
    """The shipped lines' files, then a district's own folders (settings.FAZHI_DEFINITION_DIRS)."""
    dirs = [LINES_DIR, *[Path(d) for d in getattr(settings, "FAZHI_DEFINITION_DIRS", [])]]
    files: list[Path] = []
    for d in dirs:
        files += sorted(p for p in d.glob("*/*.yaml") if p.name.startswith(FILE_PREFIX))
    return files


@dataclass
class DatasetRegistry:
    datasets: dict[str, LoadedDataset]
    errors: list[DefinitionError]


_registry: DatasetRegistry | None = None


def datasets_load(files: list[Path] | None = None) -> DatasetRegistry:
    """(Re)load every data set definition; keeps errors instead of raising so they can be listed."""
    global _registry
    datasets: dict[str, LoadedDataset] = {}
    errors: list[DefinitionError] = []
    for path in files if files is not None else dataset_files():
        loaded, errs = dataset_parse(path)
        errors += errs
        if loaded is None:
            continue
        code = loaded.definition.code
        if code in datasets:
            errors.append(DefinitionError(path, 1, 1, f"数据集代码 {code} 与 {datasets[code].path} 重复"))
            continue
        datasets[code] = loaded
    _registry = DatasetRegistry(datasets, errors)
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


class UnknownDataset(LookupError):
    pass


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
