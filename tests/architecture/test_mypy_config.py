"""mypy under the project's own [tool.mypy] configuration really fails on a type error, so `make lint`
(which runs `mypy`) fails on one: shown on a tiny module checked with a copy of pyproject.toml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("mypy")


def _mypy(tmp_path: Path, module: str, source: str) -> subprocess.CompletedProcess:
    """Run mypy with a copy of the project's config on one module `module` (dotted) under tmp_path."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    *packages, name = module.split(".")
    folder = tmp_path.joinpath(*packages)
    folder.mkdir(parents=True, exist_ok=True)
    for depth in range(1, len(packages) + 1):  # packages, so mypy names the module by its dotted path
        tmp_path.joinpath(*packages[:depth], "__init__.py").write_text("")
    path = folder / f"{name}.py"
    path.write_text(source)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(tmp_path / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), str(path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)


def test_a_type_error_fails_mypy(tmp_path: Path) -> None:
    result = _mypy(tmp_path, "probe", "def f() -> int:\n    return 'not an int'\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[return-value]" in result.stdout


def test_a_well_typed_module_passes(tmp_path: Path) -> None:
    result = _mypy(tmp_path, "probe", "def f() -> int:\n    return 1\n")
    assert result.returncode == 0, result.stdout + result.stderr
